/** The experiment specifications (experiment-specs.ts) on the docker runtime. */
import { describeExperiments } from './experiment-specs.ts';

describeExperiments('docker');
