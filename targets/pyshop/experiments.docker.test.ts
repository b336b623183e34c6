/** The experiment specifications against pyshop on the docker runtime, its image built here. */
import { describeExperiments } from '../../harness/run/experiment-specs.ts';

describeExperiments('docker', { target: 'pyshop', mitigations: false });
