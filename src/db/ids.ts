// UUIDv7 (RFC 9562): time-ordered IDs, so inserts stay index-friendly and IDs sort by creation.
import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let counter = 0;

// Random bytes come from a pool refilled 4 KiB at a time (one CSPRNG call per 256 IDs instead of one or
// two per ID: the audit appender mints an ID per event). Bytes are never reused.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
function random(n: number): Buffer {
  if (poolAt + n > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const out = pool.subarray(poolAt, poolAt + n);
  poolAt += n;
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function uuidv7(now: number = Date.now()): string {
  // Within one millisecond, a 12-bit counter in rand_a keeps IDs strictly increasing in this process.
  if (now <= lastMs) {
    counter = (counter + 1) & 0xfff;
    if (counter === 0) lastMs += 1;
    now = lastMs;
  } else {
    lastMs = now;
    counter = random(2).readUInt16BE(0) & 0x7ff;
  }
  const b = Buffer.from(random(16));
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | ((counter >> 8) & 0x0f);
  b[7] = counter & 0xff;
  b[8] = 0x80 | ((b[8] as number) & 0x3f);
  let h = '';
  for (let i = 0; i < 16; i++) {
    h += HEX[b[i] as number];
    if (i === 3 || i === 5 || i === 7 || i === 9) h += '-';
  }
  return h;
}
