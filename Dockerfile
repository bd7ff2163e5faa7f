# syntax=docker/dockerfile:1

# Build: every dependency (TypeScript and esbuild are development ones), then src/ compiled to
# dist/ and the operator console bundled into dist/console/.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts skipped: `prepare` would build before the sources are copied; the build runs below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY console ./console
COPY packages ./packages
RUN npm run build

# Production dependencies only. None needs an install script, and `prepare` (the build)
# cannot run without the development dependencies.
FROM node:20-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY --from=build /app/dist ./dist
# The migrated PGlite template (in node_modules/.cache): a new embedded data directory starts
# from it in about a second instead of running initdb. Built here, read-only at run time.
RUN node bin/parking-controller.js pglite-template \
    && mkdir -p /data \
    && chown node:node /data
USER node
# The embedded database (used when DATABASE_URL is not set). One container per volume: the
# data directory's lock cannot see processes in another container.
VOLUME /data
EXPOSE 8080
# node:20-slim has no curl; Node's fetch asks for readiness (the database answers).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health/ready').then((response) => process.exit(response.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/parking-controller.js"]
CMD ["serve"]
