// The Simplified Chinese catalogue, one line per namespace (keys carry their namespace prefix and are unique
// across files). Add a namespace here and in ../en/index.ts.
export { default as notify } from './notify.json';
export { default as labels } from './labels.json';
export { default as ledger } from './ledger.json';
export { default as report } from './report.json';
export { default as web } from './web.json';
