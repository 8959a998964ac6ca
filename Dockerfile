# One image for both roles: the API (default CMD) and the Temporal worker
# (docker-compose overrides the command with `node --import tsx workers/main.ts`).
# TypeScript runs directly through tsx, which is a devDependency, so all deps are installed. tsx is
# node's loader, not its CLI: the CLI relays SIGTERM and SIGKILLs a process that does not confirm
# the signal within 30 ms (a loaded machine), which would cut the graceful shutdown short.
FROM node:20-bookworm-slim

WORKDIR /app

# Lifecycle scripts are skipped: postinstall only fetches the Temporal dev-server binaries
# (via python/pip), which the containerised stack does not use. Native deps (@temporalio/core-bridge,
# @swc/core) ship prebuilt per-platform binaries and need no install step.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY --chown=node:node tsconfig.json ./
COPY --chown=node:node src ./src
COPY --chown=node:node workflows ./workflows
COPY --chown=node:node activities ./activities
COPY --chown=node:node workers ./workers
COPY --chown=node:node api ./api
COPY --chown=node:node scripts ./scripts
COPY --chown=node:node web ./web
# The workbench the API serves at / (lifecycle scripts are skipped above, so it is built here).
RUN npm run build:web

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/.data \
    OUTBOX_DIR=/app/.outbox
RUN mkdir -p /app/.data /app/.outbox && chown node:node /app/.data /app/.outbox

USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "api/main.ts"]
