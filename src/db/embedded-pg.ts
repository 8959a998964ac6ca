/**
 * Embedded PostgreSQL for users without infrastructure: PGlite served over the wire protocol
 * by pglite-socket, data under DATA_DIR. MikroORM talks to it like any server (pool of 1).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPg {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPg(dataDir: string, port = 0): Promise<EmbeddedPg> {
  const dir = path.resolve(dataDir, 'pglite');
  fs.mkdirSync(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port });
  await server.start();
  const addr = server.getServerConn();
  const actualPort = Number(addr.split(':').pop());
  return {
    url: `postgresql://postgres@127.0.0.1:${actualPort}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
