// slow_client.mjs - a client that stops sending halfway through a request.
//   node slow_client.mjs PORT headers|body LIMIT_SECONDS
// Exits 0 when the server closes the connection within LIMIT_SECONDS
// (printing how long it took), 1 otherwise.
import net from "node:net";

const [port, where, limit] = process.argv.slice(2);
const partial = where === "headers"
  ? "POST /v1/authorize HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le"
  : "POST /v1/authorize HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"policySet\":";
const started = Date.now();
const sock = net.connect(Number(port), "127.0.0.1", () => sock.write(partial));
const timer = setTimeout(() => {
  console.log(`still open after ${limit}s`);
  sock.destroy();
  process.exit(1);
}, Number(limit) * 1000);
sock.on("data", () => {});
sock.on("error", () => {});
sock.on("close", () => {
  clearTimeout(timer);
  console.log(`closed after ${((Date.now() - started) / 1000).toFixed(1)}s`);
  process.exit(0);
});
