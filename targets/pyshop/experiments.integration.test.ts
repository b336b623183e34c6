/** The experiment specifications (harness/run/experiment-specs.ts) against pyshop, on the local runtime. */
import { describeExperiments } from '../../harness/run/experiment-specs.ts';

describeExperiments('local', { target: 'pyshop', mitigations: false });
