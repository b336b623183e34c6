import assert from 'node:assert/strict';
import { experimentFiles } from '../experiment/catalog.ts';
import { faultKinds } from '../faults/registry.ts';
import { type CatalogModel, catalogModel } from './catalog-model.ts';

describe('catalogModel', function () {
  this.timeout(20_000);
  let model: CatalogModel;
  before(async () => {
    model = await catalogModel();
  });
  const fault = (kind: string) => model.faults.find((f) => f.kind === kind);

  it('has every experiment file and every fault kind', () => {
    assert.equal(model.experiments.length, experimentFiles().length);
    assert.deepEqual(
      model.faults.map((f) => f.kind),
      [...faultKinds.keys()],
    );
  });

  it('says which services and links of the default topology a fault’s target parameter accepts', () => {
    assert.deepEqual(fault('replica-lag')?.targets, [
      { param: 'replicas', sort: 'service', accepts: ['pg-replica-1', 'pg-replica-2'] },
    ]);
    assert.deepEqual(fault('lb-backend-death')?.targets[0]?.accepts, ['web-1', 'web-2', 'web-3']);
    assert.deepEqual(fault('cdn-origin-outage')?.targets, [{ sort: 'link', accepts: ['cdn->lb'] }]);
    assert.deepEqual(fault('link-down')?.targets[0]?.accepts, model.topology.links);
    const killable = fault('service-kill')?.targets[0]?.accepts ?? [];
    assert.ok(!killable.includes('toxiproxy'), 'toxiproxy carries every link and cannot be faulted');
    assert.ok(killable.includes('pg-primary'));
  });

  it('says what each topology option adds to or removes from the default topology', () => {
    const web = model.topology.changes.find((c) => c.option === 'web');
    assert.deepEqual(web?.added.services, ['web-4']);
    assert.ok(web?.added.links.includes('lb->web-4'));
    const memory = model.topology.changes.find((c) => c.option === 'sessionStore');
    assert.deepEqual(memory?.removed.services, ['sessions']);
    assert.ok(memory?.removed.links.includes('web-1->sessions'));
  });
});
