import assert from 'node:assert/strict';
import { defaultImages, imageEnvVar, images } from './images.ts';

describe('docker runtime images', () => {
  it('are the pinned official images unless the environment overrides them', () => {
    assert.deepEqual(images({}), defaultImages);
    assert.equal(defaultImages.toxiproxy, 'ghcr.io/shopify/toxiproxy:2.12.0');
  });

  it('take a per-role override, e.g. for a mirror, and ignore blank ones', () => {
    const set = images({
      FAULTLINE_IMAGE_POSTGRES: 'mirror.example/postgres:15',
      FAULTLINE_IMAGE_REDIS: ' ',
    });
    assert.equal(set.postgres, 'mirror.example/postgres:15');
    assert.equal(set.redis, defaultImages.redis);
    assert.equal(imageEnvVar('toxiproxy'), 'FAULTLINE_IMAGE_TOXIPROXY');
  });
});
