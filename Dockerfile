# Build stage: compile the TypeScript with the dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY protocol ./protocol
COPY src ./src
COPY test ./test
COPY bench ./bench
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev

# Runtime stage: only the compiled code and production dependencies.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/protocol ./dist/protocol
COPY --from=build /app/dist/src ./dist/src
COPY package.json ./
COPY config ./config
# 6653: switches that dial their controllers connect here.
EXPOSE 6653
USER node
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["run", "--listen", "6653"]
