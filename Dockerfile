# syntax=docker/dockerfile:1
# gpsim: build once, run the compiled JavaScript as an unprivileged user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles its native module when no prebuilt binary can be fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY contracts/package.json contracts/tsconfig.json contracts/
COPY simulator/package.json simulator/tsconfig.json simulator/
COPY client-sdk/package.json client-sdk/tsconfig.json client-sdk/tsconfig.esm.json client-sdk/
# Sources are not here yet, so the root "prepare" build is skipped; the native module is built explicitly.
RUN npm install --ignore-scripts && npm rebuild better-sqlite3
COPY contracts/src contracts/src
COPY simulator/src simulator/src
COPY client-sdk/src client-sdk/src
COPY scripts scripts
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    GPSIM_HOST=0.0.0.0 \
    GPSIM_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/contracts/package.json contracts/
COPY --from=build /app/contracts/dist contracts/dist
COPY --from=build /app/simulator/package.json simulator/
COPY --from=build /app/simulator/dist simulator/dist
# Packages npm nests under the workspace (the API reference bundle), and the verify cases.
COPY --from=build /app/simulator/node_modules simulator/node_modules
COPY simulator/fixtures simulator/fixtures
COPY --from=build /app/client-sdk/package.json client-sdk/
COPY --from=build /app/client-sdk/dist client-sdk/dist
COPY fixtures fixtures
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# 4100 node s11, 4101 backup node s12, 2135 SystmOne Client Integration (TCP).
EXPOSE 4100 4101 2135
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4100/__sim/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "simulator/dist/cli.js", "start"]
