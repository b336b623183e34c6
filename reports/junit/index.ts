/** JUnit XML from run results: the public API of reports/junit (named exports only). */
export { formatMetric, measuredVsThreshold, suiteName, toJUnit, writeJUnit } from './junit.ts';
export { escapeXml, xmlSafe } from './xml.ts';
