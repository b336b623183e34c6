/** The experiment specifications (experiment-specs.ts) on the local runtime. */
import { describeExperiments } from './experiment-specs.ts';

describeExperiments('local');
