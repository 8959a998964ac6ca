import { build } from '../scripts/cluster/cluster';
build((l) => console.log('TS:', l)).then((r) => console.log(r));
