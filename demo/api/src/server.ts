// The demo API: counts visits in Redis and stores notes in Postgres.
// GET /health is a liveness probe: it answers without touching the databases, so a database
// outage does not make the orchestrator restart a healthy process.
import http from "node:http";
import pg from "pg";
import { createClient } from "redis";

const port = Number(process.env.PORT ?? 3000);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
const redis = createClient({ url: process.env.REDIS_URL });
redis.on("error", (err) => console.error("redis:", err.message));

async function migrate(): Promise<void> {
  await pool.query(
    "CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text NOT NULL, created timestamptz DEFAULT now())",
  );
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const server = http.createServer(async (req, res) => {
  try {
    if (req.url === "/health") return send(res, 200, { status: "ok" });
    if (req.url === "/readyz") {
      await pool.query("SELECT 1");
      await redis.ping();
      return send(res, 200, { status: "ready" });
    }
    if (req.url === "/notes" && req.method === "POST") {
      const { body } = JSON.parse(await readBody(req)) as { body?: string };
      if (!body) return send(res, 400, { error: "body is required" });
      const { rows } = await pool.query("INSERT INTO notes (body) VALUES ($1) RETURNING *", [body]);
      return send(res, 201, rows[0]);
    }
    if (req.url === "/notes") {
      const { rows } = await pool.query("SELECT * FROM notes ORDER BY id DESC LIMIT 50");
      return send(res, 200, rows);
    }
    if (req.url === "/") {
      const visits = await redis.incr("visits");
      return send(res, 200, { service: "devbox-demo-api", visits });
    }
    send(res, 404, { error: "not found" });
  } catch (err) {
    send(res, 500, { error: (err as Error).message });
  }
});

async function main(): Promise<void> {
  await redis.connect();
  await migrate();
  server.listen(port, () => console.log(`listening on :${port}`));
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    server.close();
    void Promise.allSettled([pool.end(), redis.quit()]).then(() => process.exit(0));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
