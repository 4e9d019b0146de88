#!/usr/bin/env node
// Runs a command with REDIS_URL set. If REDIS_URL is already set, that Redis is used as is.
// Otherwise a private, throw-away redis-server is started on a free loopback port with no
// persistence, and stopped when the command ends, so `npm test` and `npm run demo` work on a
// machine that has redis-server installed but not running.
//
//   node scripts/with-redis.mjs vitest run
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const INSTALL_HELP = `redis-server was not found, and REDIS_URL is not set.
Install Redis (any version from 6.2), then run the command again:
  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y redis-server
  Fedora/RHEL:    sudo dnf install -y redis
  macOS:          brew install redis
Or point REDIS_URL at a Redis you already run, e.g. REDIS_URL=redis://127.0.0.1:6379`;

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: node scripts/with-redis.mjs <command> [args...]');
  process.exit(2);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

function ping(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let answer = '';
    socket.setTimeout(500);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) {
        socket.destroy();
        resolve(answer.startsWith('+PONG'));
      }
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

async function startPrivateRedis() {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) {
    console.error(INSTALL_HELP);
    process.exit(1);
  }
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lead-qualifier-redis-'));
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--loglevel',
      'warning',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await ping(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      stop();
      console.error(`redis-server did not start on port ${port}.`);
      process.exit(1);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, stop };
}

const privateRedis = process.env.REDIS_URL ? null : await startPrivateRedis();
const env = { ...process.env, REDIS_URL: process.env.REDIS_URL ?? privateRedis?.url };
const [bin, ...args] = command;
const child = spawn(/** @type {string} */ (bin), args, { stdio: 'inherit', env });

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('error', (error) => {
  console.error(`could not run ${bin}: ${error.message}`);
  privateRedis?.stop();
  process.exit(127);
});
child.on('exit', (code, signal) => {
  privateRedis?.stop();
  process.exit(code ?? (signal ? 1 : 0));
});
