/**
 * History ⇄ proto3 JSON (the format of `temporal workflow show --output json`), done with the protobufjs
 * copy that @temporalio/proto itself uses. The SDK's own `historyToJSON`/`historyFromJSON` can fail with
 * "type must be a Type" when npm installs two copies of protobufjs (one under @temporalio/common, one
 * under @temporalio/proto): the reflection types of one copy are then not instances of the other's.
 */
import path from 'node:path';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

type History = proto.temporal.api.history.v1.IHistory;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}

function protojson(): ProtoJson {
  const protoDir = path.dirname(require.resolve('@temporalio/proto/package.json'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve('protobufjs/ext/protojson', { paths: [protoDir] })) as ProtoJson;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const root = patchProtobufRoot(proto) as any;
const historyType: unknown = root.lookupType('temporal.api.history.v1.History');

/** A fetched history as a pretty proto3-JSON string. */
export function historyToJson(history: History): string {
  const msg = proto.temporal.api.history.v1.History.fromObject(history);
  const json = protojson().toJson(historyType, msg) as { events: unknown[] };
  // One event per line: compact, and a re-recording diffs event by event.
  return `{"events":[\n${json.events.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`;
}

/** A parsed proto3-JSON history as the History message the replayer takes. */
export function historyFromJson(json: unknown): History {
  const h = protojson().fromJson(historyType, json, { ignoreUnknownFields: true });
  if (!h) throw new TypeError('not a history');
  return h as History;
}
