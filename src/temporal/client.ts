import { Client, Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from './search-attributes';

export async function connectClient(
  address: string,
  namespace: string,
): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({ address });
  return { client: new Client({ connection, namespace }), connection };
}

/** The proto's IndexedValueType of each search attribute type we use (5 would be BOOL, not DATETIME). */
const V = temporal.api.enums.v1.IndexedValueType;
export const INDEXED_VALUE_TYPE: Record<string, number> = {
  [SearchAttributeType.KEYWORD]: V.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: V.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DATETIME]: V.INDEXED_VALUE_TYPE_DATETIME,
};

/** Register our search attributes on a real cluster (the dev server gets them on its command line). */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = SEARCH_ATTRIBUTES.filter((sa) => !(sa.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((sa) => [sa.name, INDEXED_VALUE_TYPE[sa.type]!])),
  });
}
