# One image for every role: docker-compose.yml starts it as api, worker and connectors.
FROM node:20-bookworm-slim
WORKDIR /app
# better-sqlite3 compiles from source when its prebuilt binary cannot be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# npm ci can fail on mirrors missing bullmq's optional platform packages; the lockfile still pins versions.
RUN npm ci --no-audit --no-fund || npm install --no-audit --no-fund
COPY . .
RUN npm run build
ENV HOST=0.0.0.0 PORT=3000 DATA_DIR=/data NODE_ENV=production
EXPOSE 3000
# node --import tsx: one process, so SIGTERM reaches Hark's graceful shutdown. The heap cap is npm start's
# (package.json; a test keeps the two equal): see the README's "Memory".
ENTRYPOINT ["node", "--max-old-space-size=256", "--import", "tsx", "server/main.ts"]
CMD ["--role", "all"]
