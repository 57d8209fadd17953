# Threadbridge in a container: `docker compose up` (compose.yaml) runs it with PostgreSQL and Redis.
# Our TypeScript runs as-is through tsx, a runtime dependency, so there is no build step: the
# first stage installs production dependencies only, the second copies them beside the source.
FROM node:22-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:22-slim
ENV NODE_ENV=production \
    THREADBRIDGE_HTTP_HOST=0.0.0.0 \
    THREADBRIDGE_HTTP_PORT=3000 \
    THREADBRIDGE_DATA_DIR=/app/data
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json package-lock.json slack-manifest.yml ./
COPY bin ./bin
COPY src ./src
COPY adapters ./adapters
COPY commands ./commands
COPY migrations ./migrations
COPY sandbox ./sandbox
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Liveness: /healthz answers while the process runs (docs/operations.md).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + process.env.THREADBRIDGE_HTTP_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "bin/threadbridge.mjs", "start"]
