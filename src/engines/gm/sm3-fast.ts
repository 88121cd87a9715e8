// SM3 (GB/T 32905) in plain TypeScript, tuned for V8 and for hashing many small messages (issue 6: the audit
// chain verifier hashes prevHash ‖ "SHUAN-AUDIT-EVENT-v1\n" ‖ event, a few hundred bytes, per event).
// node's createHash('sm3') costs ~2 µs per call in object creation and native-boundary crossings, more than
// the hashing itself at these sizes; this one allocates nothing per message (the chaining value and the
// partial block are preallocated, the message schedule lives in local variables) and reads the message
// words straight from the caller's bytes (DataView.getInt32, big-endian: one DataView per update() that has
// whole blocks, cheaper than 4 byte loads per word), streaming blocks across the parts' boundaries.
// Checked against the GB/T 32905 vectors and against createHash('sm3') (sm3-fast.test.ts); measured by
// `npm run bench -- sm3`. Everything else keeps using createHash (sm3.ts): this is for the chain's hot path.

const IV = Int32Array.of(0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600 | 0, 0xa96f30bc | 0, 0x163138aa, 0xe38dee4d | 0, 0xb0fb0e4e | 0);

/**
 * Compresses the whole 64-byte blocks of `m` from `off` up to `end` (end - off a multiple of 64) into the
 * chaining value `v` (int32 words).
 *
 * The shape is what makes V8 fast here (measured: ~2× a loop over Int32Array W[0..67] and W'[0..63]):
 * - the message schedule lives in 16 local variables w0…w15, a rolling window (slot j mod 16 holds W[j]):
 *   round j needs W[j] and W[j+4] (W'[j] = W[j] ⊕ W[j+4]), so W[j+4] is expanded at round j, into the slot
 *   of W[j-12], which nothing needs after that;
 * - the eight state words are renamed instead of moved: a round writes TT1 into D and P0(TT2) into H and
 *   rotates B and F in place, and the next round reads (D, A, B, C, H, E, F, G) as (A, B, C, D, E, F, G, H),
 *   so four rounds bring the names back;
 * - rounds 0–15 are written out with their constants, rounds 16–63 are one 16-round body run three times;
 * - the chaining value stays in `v` (read at each block's start, xored in at its end) rather than in eight
 *   more locals live across the loop: fewer values competing for registers in the rounds (measured ≈ 5%
 *   on audit-chain links, issue 6).
 */
function compressBlocks(v: Int32Array, m: DataView, off: number, end: number): void {
  let t = 0;
  let s = 0;
  let x = 0;
  let w0 = 0;
  let w1 = 0;
  let w2 = 0;
  let w3 = 0;
  let w4 = 0;
  let w5 = 0;
  let w6 = 0;
  let w7 = 0;
  let w8 = 0;
  let w9 = 0;
  let w10 = 0;
  let w11 = 0;
  let w12 = 0;
  let w13 = 0;
  let w14 = 0;
  let w15 = 0;
  for (; off < end; off += 64) {
    let a = v[0];
    let b = v[1];
    let c = v[2];
    let d = v[3];
    let e = v[4];
    let f = v[5];
    let g = v[6];
    let h = v[7];
    w0 = m.getInt32(off + 0);
    w1 = m.getInt32(off + 4);
    w2 = m.getInt32(off + 8);
    w3 = m.getInt32(off + 12);
    w4 = m.getInt32(off + 16);
    w5 = m.getInt32(off + 20);
    w6 = m.getInt32(off + 24);
    w7 = m.getInt32(off + 28);
    w8 = m.getInt32(off + 32);
    w9 = m.getInt32(off + 36);
    w10 = m.getInt32(off + 40);
    w11 = m.getInt32(off + 44);
    w12 = m.getInt32(off + 48);
    w13 = m.getInt32(off + 52);
    w14 = m.getInt32(off + 56);
    w15 = m.getInt32(off + 60);
    // Rounds 0–15: FF = GG = x ⊕ y ⊕ z, T = 0x79cc4519; W[16..19] expanded in rounds 12–15.
    // round 0
    t = (a << 12) | (a >>> 20);
    s = (t + e + 0x79cc4519) | 0;
    s = (s << 7) | (s >>> 25);
    d = ((a ^ b ^ c) + d + (s ^ t) + (w0 ^ w4)) | 0;
    h = ((e ^ f ^ g) + h + s + w0) | 0;
    b = (b << 9) | (b >>> 23);
    f = (f << 19) | (f >>> 13);
    h ^= ((h << 9) | (h >>> 23)) ^ ((h << 17) | (h >>> 15));
    // round 1
    t = (d << 12) | (d >>> 20);
    s = (t + h - 0x0c6775ce) | 0;
    s = (s << 7) | (s >>> 25);
    c = ((d ^ a ^ b) + c + (s ^ t) + (w1 ^ w5)) | 0;
    g = ((h ^ e ^ f) + g + s + w1) | 0;
    a = (a << 9) | (a >>> 23);
    e = (e << 19) | (e >>> 13);
    g ^= ((g << 9) | (g >>> 23)) ^ ((g << 17) | (g >>> 15));
    // round 2
    t = (c << 12) | (c >>> 20);
    s = (t + g - 0x18ceeb9b) | 0;
    s = (s << 7) | (s >>> 25);
    b = ((c ^ d ^ a) + b + (s ^ t) + (w2 ^ w6)) | 0;
    f = ((g ^ h ^ e) + f + s + w2) | 0;
    d = (d << 9) | (d >>> 23);
    h = (h << 19) | (h >>> 13);
    f ^= ((f << 9) | (f >>> 23)) ^ ((f << 17) | (f >>> 15));
    // round 3
    t = (b << 12) | (b >>> 20);
    s = (t + f - 0x319dd735) | 0;
    s = (s << 7) | (s >>> 25);
    a = ((b ^ c ^ d) + a + (s ^ t) + (w3 ^ w7)) | 0;
    e = ((f ^ g ^ h) + e + s + w3) | 0;
    c = (c << 9) | (c >>> 23);
    g = (g << 19) | (g >>> 13);
    e ^= ((e << 9) | (e >>> 23)) ^ ((e << 17) | (e >>> 15));
    // round 4
    t = (a << 12) | (a >>> 20);
    s = (t + e - 0x633bae69) | 0;
    s = (s << 7) | (s >>> 25);
    d = ((a ^ b ^ c) + d + (s ^ t) + (w4 ^ w8)) | 0;
    h = ((e ^ f ^ g) + h + s + w4) | 0;
    b = (b << 9) | (b >>> 23);
    f = (f << 19) | (f >>> 13);
    h ^= ((h << 9) | (h >>> 23)) ^ ((h << 17) | (h >>> 15));
    // round 5
    t = (d << 12) | (d >>> 20);
    s = (t + h + 0x3988a32f) | 0;
    s = (s << 7) | (s >>> 25);
    c = ((d ^ a ^ b) + c + (s ^ t) + (w5 ^ w9)) | 0;
    g = ((h ^ e ^ f) + g + s + w5) | 0;
    a = (a << 9) | (a >>> 23);
    e = (e << 19) | (e >>> 13);
    g ^= ((g << 9) | (g >>> 23)) ^ ((g << 17) | (g >>> 15));
    // round 6
    t = (c << 12) | (c >>> 20);
    s = (t + g + 0x7311465e) | 0;
    s = (s << 7) | (s >>> 25);
    b = ((c ^ d ^ a) + b + (s ^ t) + (w6 ^ w10)) | 0;
    f = ((g ^ h ^ e) + f + s + w6) | 0;
    d = (d << 9) | (d >>> 23);
    h = (h << 19) | (h >>> 13);
    f ^= ((f << 9) | (f >>> 23)) ^ ((f << 17) | (f >>> 15));
    // round 7
    t = (b << 12) | (b >>> 20);
    s = (t + f - 0x19dd7344) | 0;
    s = (s << 7) | (s >>> 25);
    a = ((b ^ c ^ d) + a + (s ^ t) + (w7 ^ w11)) | 0;
    e = ((f ^ g ^ h) + e + s + w7) | 0;
    c = (c << 9) | (c >>> 23);
    g = (g << 19) | (g >>> 13);
    e ^= ((e << 9) | (e >>> 23)) ^ ((e << 17) | (e >>> 15));
    // round 8
    t = (a << 12) | (a >>> 20);
    s = (t + e - 0x33bae687) | 0;
    s = (s << 7) | (s >>> 25);
    d = ((a ^ b ^ c) + d + (s ^ t) + (w8 ^ w12)) | 0;
    h = ((e ^ f ^ g) + h + s + w8) | 0;
    b = (b << 9) | (b >>> 23);
    f = (f << 19) | (f >>> 13);
    h ^= ((h << 9) | (h >>> 23)) ^ ((h << 17) | (h >>> 15));
    // round 9
    t = (d << 12) | (d >>> 20);
    s = (t + h - 0x6775cd0d) | 0;
    s = (s << 7) | (s >>> 25);
    c = ((d ^ a ^ b) + c + (s ^ t) + (w9 ^ w13)) | 0;
    g = ((h ^ e ^ f) + g + s + w9) | 0;
    a = (a << 9) | (a >>> 23);
    e = (e << 19) | (e >>> 13);
    g ^= ((g << 9) | (g >>> 23)) ^ ((g << 17) | (g >>> 15));
    // round 10
    t = (c << 12) | (c >>> 20);
    s = (t + g + 0x311465e7) | 0;
    s = (s << 7) | (s >>> 25);
    b = ((c ^ d ^ a) + b + (s ^ t) + (w10 ^ w14)) | 0;
    f = ((g ^ h ^ e) + f + s + w10) | 0;
    d = (d << 9) | (d >>> 23);
    h = (h << 19) | (h >>> 13);
    f ^= ((f << 9) | (f >>> 23)) ^ ((f << 17) | (f >>> 15));
    // round 11
    t = (b << 12) | (b >>> 20);
    s = (t + f + 0x6228cbce) | 0;
    s = (s << 7) | (s >>> 25);
    a = ((b ^ c ^ d) + a + (s ^ t) + (w11 ^ w15)) | 0;
    e = ((f ^ g ^ h) + e + s + w11) | 0;
    c = (c << 9) | (c >>> 23);
    g = (g << 19) | (g >>> 13);
    e ^= ((e << 9) | (e >>> 23)) ^ ((e << 17) | (e >>> 15));
    // round 12
    x = w0 ^ w7 ^ ((w13 << 15) | (w13 >>> 17));
    w0 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w3 << 7) | (w3 >>> 25)) ^ w10;
    t = (a << 12) | (a >>> 20);
    s = (t + e - 0x3bae6864) | 0;
    s = (s << 7) | (s >>> 25);
    d = ((a ^ b ^ c) + d + (s ^ t) + (w12 ^ w0)) | 0;
    h = ((e ^ f ^ g) + h + s + w12) | 0;
    b = (b << 9) | (b >>> 23);
    f = (f << 19) | (f >>> 13);
    h ^= ((h << 9) | (h >>> 23)) ^ ((h << 17) | (h >>> 15));
    // round 13
    x = w1 ^ w8 ^ ((w14 << 15) | (w14 >>> 17));
    w1 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w4 << 7) | (w4 >>> 25)) ^ w11;
    t = (d << 12) | (d >>> 20);
    s = (t + h - 0x775cd0c7) | 0;
    s = (s << 7) | (s >>> 25);
    c = ((d ^ a ^ b) + c + (s ^ t) + (w13 ^ w1)) | 0;
    g = ((h ^ e ^ f) + g + s + w13) | 0;
    a = (a << 9) | (a >>> 23);
    e = (e << 19) | (e >>> 13);
    g ^= ((g << 9) | (g >>> 23)) ^ ((g << 17) | (g >>> 15));
    // round 14
    x = w2 ^ w9 ^ ((w15 << 15) | (w15 >>> 17));
    w2 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w5 << 7) | (w5 >>> 25)) ^ w12;
    t = (c << 12) | (c >>> 20);
    s = (t + g + 0x11465e73) | 0;
    s = (s << 7) | (s >>> 25);
    b = ((c ^ d ^ a) + b + (s ^ t) + (w14 ^ w2)) | 0;
    f = ((g ^ h ^ e) + f + s + w14) | 0;
    d = (d << 9) | (d >>> 23);
    h = (h << 19) | (h >>> 13);
    f ^= ((f << 9) | (f >>> 23)) ^ ((f << 17) | (f >>> 15));
    // round 15
    x = w3 ^ w10 ^ ((w0 << 15) | (w0 >>> 17));
    w3 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w6 << 7) | (w6 >>> 25)) ^ w13;
    t = (b << 12) | (b >>> 20);
    s = (t + f + 0x228cbce6) | 0;
    s = (s << 7) | (s >>> 25);
    a = ((b ^ c ^ d) + a + (s ^ t) + (w15 ^ w3)) | 0;
    e = ((f ^ g ^ h) + e + s + w15) | 0;
    c = (c << 9) | (c >>> 23);
    g = (g << 19) | (g >>> 13);
    e ^= ((e << 9) | (e >>> 23)) ^ ((e << 17) | (e >>> 15));
    // Rounds 16–63, 16 per pass: majority FF, choice GG, T = 0x7a879d8a <<< j (tj, rotated by one each round).
    let tj = -0x62758579;
    for (let j = 16; j < 64; j += 16) {
      // round j + 0: W[j + 4] into w4
      x = w4 ^ w11 ^ ((w1 << 15) | (w1 >>> 17));
      w4 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w7 << 7) | (w7 >>> 25)) ^ w14;
      t = (a << 12) | (a >>> 20);
      s = (t + e + tj) | 0;
      s = (s << 7) | (s >>> 25);
      d = (((a & b) | ((a | b) & c)) + d + (s ^ t) + (w0 ^ w4)) | 0;
      h = ((g ^ (e & (f ^ g))) + h + s + w0) | 0;
      b = (b << 9) | (b >>> 23);
      f = (f << 19) | (f >>> 13);
      h ^= ((h << 9) | (h >>> 23)) ^ ((h << 17) | (h >>> 15));
      tj = (tj << 1) | (tj >>> 31);
      // round j + 1: W[j + 5] into w5
      x = w5 ^ w12 ^ ((w2 << 15) | (w2 >>> 17));
      w5 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w8 << 7) | (w8 >>> 25)) ^ w15;
      t = (d << 12) | (d >>> 20);
      s = (t + h + tj) | 0;
      s = (s << 7) | (s >>> 25);
      c = (((d & a) | ((d | a) & b)) + c + (s ^ t) + (w1 ^ w5)) | 0;
      g = ((f ^ (h & (e ^ f))) + g + s + w1) | 0;
      a = (a << 9) | (a >>> 23);
      e = (e << 19) | (e >>> 13);
      g ^= ((g << 9) | (g >>> 23)) ^ ((g << 17) | (g >>> 15));
      tj = (tj << 1) | (tj >>> 31);
      // round j + 2: W[j + 6] into w6
      x = w6 ^ w13 ^ ((w3 << 15) | (w3 >>> 17));
      w6 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w9 << 7) | (w9 >>> 25)) ^ w0;
      t = (c << 12) | (c >>> 20);
      s = (t + g + tj) | 0;
      s = (s << 7) | (s >>> 25);
      b = (((c & d) | ((c | d) & a)) + b + (s ^ t) + (w2 ^ w6)) | 0;
      f = ((e ^ (g & (h ^ e))) + f + s + w2) | 0;
      d = (d << 9) | (d >>> 23);
      h = (h << 19) | (h >>> 13);
      f ^= ((f << 9) | (f >>> 23)) ^ ((f << 17) | (f >>> 15));
      tj = (tj << 1) | (tj >>> 31);
      // round j + 3: W[j + 7] into w7
      x = w7 ^ w14 ^ ((w4 << 15) | (w4 >>> 17));
      w7 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w10 << 7) | (w10 >>> 25)) ^ w1;
      t = (b << 12) | (b >>> 20);
      s = (t + f + tj) | 0;
      s = (s << 7) | (s >>> 25);
      a = (((b & c) | ((b | c) & d)) + a + (s ^ t) + (w3 ^ w7)) | 0;
      e = ((h ^ (f & (g ^ h))) + e + s + w3) | 0;
      c = (c << 9) | (c >>> 23);
      g = (g << 19) | (g >>> 13);
      e ^= ((e << 9) | (e >>> 23)) ^ ((e << 17) | (e >>> 15));
      tj = (tj << 1) | (tj >>> 31);
      // round j + 4: W[j + 8] into w8
      x = w8 ^ w15 ^ ((w5 << 15) | (w5 >>> 17));
      w8 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w11 << 7) | (w11 >>> 25)) ^ w2;
      t = (a << 12) | (a >>> 20);
      s = (t + e + tj) | 0;
      s = (s << 7) | (s >>> 25);
      d = (((a & b) | ((a | b) & c)) + d + (s ^ t) + (w4 ^ w8)) | 0;
      h = ((g ^ (e & (f ^ g))) + h + s + w4) | 0;
      b = (b << 9) | (b >>> 23);
      f = (f << 19) | (f >>> 13);
      h ^= ((h << 9) | (h >>> 23)) ^ ((h << 17) | (h >>> 15));
      tj = (tj << 1) | (tj >>> 31);
      // round j + 5: W[j + 9] into w9
      x = w9 ^ w0 ^ ((w6 << 15) | (w6 >>> 17));
      w9 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w12 << 7) | (w12 >>> 25)) ^ w3;
      t = (d << 12) | (d >>> 20);
      s = (t + h + tj) | 0;
      s = (s << 7) | (s >>> 25);
      c = (((d & a) | ((d | a) & b)) + c + (s ^ t) + (w5 ^ w9)) | 0;
      g = ((f ^ (h & (e ^ f))) + g + s + w5) | 0;
      a = (a << 9) | (a >>> 23);
      e = (e << 19) | (e >>> 13);
      g ^= ((g << 9) | (g >>> 23)) ^ ((g << 17) | (g >>> 15));
      tj = (tj << 1) | (tj >>> 31);
      // round j + 6: W[j + 10] into w10
      x = w10 ^ w1 ^ ((w7 << 15) | (w7 >>> 17));
      w10 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w13 << 7) | (w13 >>> 25)) ^ w4;
      t = (c << 12) | (c >>> 20);
      s = (t + g + tj) | 0;
      s = (s << 7) | (s >>> 25);
      b = (((c & d) | ((c | d) & a)) + b + (s ^ t) + (w6 ^ w10)) | 0;
      f = ((e ^ (g & (h ^ e))) + f + s + w6) | 0;
      d = (d << 9) | (d >>> 23);
      h = (h << 19) | (h >>> 13);
      f ^= ((f << 9) | (f >>> 23)) ^ ((f << 17) | (f >>> 15));
      tj = (tj << 1) | (tj >>> 31);
      // round j + 7: W[j + 11] into w11
      x = w11 ^ w2 ^ ((w8 << 15) | (w8 >>> 17));
      w11 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w14 << 7) | (w14 >>> 25)) ^ w5;
      t = (b << 12) | (b >>> 20);
      s = (t + f + tj) | 0;
      s = (s << 7) | (s >>> 25);
      a = (((b & c) | ((b | c) & d)) + a + (s ^ t) + (w7 ^ w11)) | 0;
      e = ((h ^ (f & (g ^ h))) + e + s + w7) | 0;
      c = (c << 9) | (c >>> 23);
      g = (g << 19) | (g >>> 13);
      e ^= ((e << 9) | (e >>> 23)) ^ ((e << 17) | (e >>> 15));
      tj = (tj << 1) | (tj >>> 31);
      // round j + 8: W[j + 12] into w12
      x = w12 ^ w3 ^ ((w9 << 15) | (w9 >>> 17));
      w12 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w15 << 7) | (w15 >>> 25)) ^ w6;
      t = (a << 12) | (a >>> 20);
      s = (t + e + tj) | 0;
      s = (s << 7) | (s >>> 25);
      d = (((a & b) | ((a | b) & c)) + d + (s ^ t) + (w8 ^ w12)) | 0;
      h = ((g ^ (e & (f ^ g))) + h + s + w8) | 0;
      b = (b << 9) | (b >>> 23);
      f = (f << 19) | (f >>> 13);
      h ^= ((h << 9) | (h >>> 23)) ^ ((h << 17) | (h >>> 15));
      tj = (tj << 1) | (tj >>> 31);
      // round j + 9: W[j + 13] into w13
      x = w13 ^ w4 ^ ((w10 << 15) | (w10 >>> 17));
      w13 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w0 << 7) | (w0 >>> 25)) ^ w7;
      t = (d << 12) | (d >>> 20);
      s = (t + h + tj) | 0;
      s = (s << 7) | (s >>> 25);
      c = (((d & a) | ((d | a) & b)) + c + (s ^ t) + (w9 ^ w13)) | 0;
      g = ((f ^ (h & (e ^ f))) + g + s + w9) | 0;
      a = (a << 9) | (a >>> 23);
      e = (e << 19) | (e >>> 13);
      g ^= ((g << 9) | (g >>> 23)) ^ ((g << 17) | (g >>> 15));
      tj = (tj << 1) | (tj >>> 31);
      // round j + 10: W[j + 14] into w14
      x = w14 ^ w5 ^ ((w11 << 15) | (w11 >>> 17));
      w14 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w1 << 7) | (w1 >>> 25)) ^ w8;
      t = (c << 12) | (c >>> 20);
      s = (t + g + tj) | 0;
      s = (s << 7) | (s >>> 25);
      b = (((c & d) | ((c | d) & a)) + b + (s ^ t) + (w10 ^ w14)) | 0;
      f = ((e ^ (g & (h ^ e))) + f + s + w10) | 0;
      d = (d << 9) | (d >>> 23);
      h = (h << 19) | (h >>> 13);
      f ^= ((f << 9) | (f >>> 23)) ^ ((f << 17) | (f >>> 15));
      tj = (tj << 1) | (tj >>> 31);
      // round j + 11: W[j + 15] into w15
      x = w15 ^ w6 ^ ((w12 << 15) | (w12 >>> 17));
      w15 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w2 << 7) | (w2 >>> 25)) ^ w9;
      t = (b << 12) | (b >>> 20);
      s = (t + f + tj) | 0;
      s = (s << 7) | (s >>> 25);
      a = (((b & c) | ((b | c) & d)) + a + (s ^ t) + (w11 ^ w15)) | 0;
      e = ((h ^ (f & (g ^ h))) + e + s + w11) | 0;
      c = (c << 9) | (c >>> 23);
      g = (g << 19) | (g >>> 13);
      e ^= ((e << 9) | (e >>> 23)) ^ ((e << 17) | (e >>> 15));
      tj = (tj << 1) | (tj >>> 31);
      // round j + 12: W[j + 16] into w0
      x = w0 ^ w7 ^ ((w13 << 15) | (w13 >>> 17));
      w0 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w3 << 7) | (w3 >>> 25)) ^ w10;
      t = (a << 12) | (a >>> 20);
      s = (t + e + tj) | 0;
      s = (s << 7) | (s >>> 25);
      d = (((a & b) | ((a | b) & c)) + d + (s ^ t) + (w12 ^ w0)) | 0;
      h = ((g ^ (e & (f ^ g))) + h + s + w12) | 0;
      b = (b << 9) | (b >>> 23);
      f = (f << 19) | (f >>> 13);
      h ^= ((h << 9) | (h >>> 23)) ^ ((h << 17) | (h >>> 15));
      tj = (tj << 1) | (tj >>> 31);
      // round j + 13: W[j + 17] into w1
      x = w1 ^ w8 ^ ((w14 << 15) | (w14 >>> 17));
      w1 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w4 << 7) | (w4 >>> 25)) ^ w11;
      t = (d << 12) | (d >>> 20);
      s = (t + h + tj) | 0;
      s = (s << 7) | (s >>> 25);
      c = (((d & a) | ((d | a) & b)) + c + (s ^ t) + (w13 ^ w1)) | 0;
      g = ((f ^ (h & (e ^ f))) + g + s + w13) | 0;
      a = (a << 9) | (a >>> 23);
      e = (e << 19) | (e >>> 13);
      g ^= ((g << 9) | (g >>> 23)) ^ ((g << 17) | (g >>> 15));
      tj = (tj << 1) | (tj >>> 31);
      // round j + 14: W[j + 18] into w2
      x = w2 ^ w9 ^ ((w15 << 15) | (w15 >>> 17));
      w2 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w5 << 7) | (w5 >>> 25)) ^ w12;
      t = (c << 12) | (c >>> 20);
      s = (t + g + tj) | 0;
      s = (s << 7) | (s >>> 25);
      b = (((c & d) | ((c | d) & a)) + b + (s ^ t) + (w14 ^ w2)) | 0;
      f = ((e ^ (g & (h ^ e))) + f + s + w14) | 0;
      d = (d << 9) | (d >>> 23);
      h = (h << 19) | (h >>> 13);
      f ^= ((f << 9) | (f >>> 23)) ^ ((f << 17) | (f >>> 15));
      tj = (tj << 1) | (tj >>> 31);
      // round j + 15: W[j + 19] into w3
      x = w3 ^ w10 ^ ((w0 << 15) | (w0 >>> 17));
      w3 = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w6 << 7) | (w6 >>> 25)) ^ w13;
      t = (b << 12) | (b >>> 20);
      s = (t + f + tj) | 0;
      s = (s << 7) | (s >>> 25);
      a = (((b & c) | ((b | c) & d)) + a + (s ^ t) + (w15 ^ w3)) | 0;
      e = ((h ^ (f & (g ^ h))) + e + s + w15) | 0;
      c = (c << 9) | (c >>> 23);
      g = (g << 19) | (g >>> 13);
      e ^= ((e << 9) | (e >>> 23)) ^ ((e << 17) | (e >>> 15));
      tj = (tj << 1) | (tj >>> 31);
    }
    v[0] ^= a;
    v[1] ^= b;
    v[2] ^= c;
    v[3] ^= d;
    v[4] ^= e;
    v[5] ^= f;
    v[6] ^= g;
    v[7] ^= h;
  }
}

/**
 * An incremental SM3: any number of `update(bytes)`, then `digestInto(out)`, which also resets the hasher
 * for the next message (as does `reset()`). One instance hashes any number of messages without allocating.
 */
export class Sm3Hasher {
  private readonly v = new Int32Array(8);
  private readonly block = new Uint8Array(64);
  private readonly blockView = new DataView(this.block.buffer);
  private blockLen = 0;
  /** Message bytes so far (a double: exact up to 2^53, far beyond anything hashed here). */
  private total = 0;

  constructor() {
    this.reset();
  }

  reset(): this {
    this.v.set(IV);
    this.blockLen = 0;
    this.total = 0;
    return this;
  }

  update(data: Uint8Array): this {
    const len = data.length;
    this.total += len;
    let i = 0;
    const block = this.block;
    let used = this.blockLen;
    if (used > 0) {
      const take = Math.min(64 - used, len);
      for (; i < take; i++) block[used++] = data[i];
      if (used < 64) {
        this.blockLen = used;
        return this;
      }
      compressBlocks(this.v, this.blockView, 0, 64);
      used = 0;
    }
    const whole = i + ((len - i) & ~63);
    if (whole > i) {
      compressBlocks(this.v, new DataView(data.buffer, data.byteOffset, data.byteLength), i, whole);
      i = whole;
    }
    for (; i < len; i++) block[used++] = data[i];
    this.blockLen = used;
    return this;
  }

  /** Pads, writes the 32-byte digest into `out` at `offset`, resets the hasher and returns `out`. */
  digestInto<T extends Uint8Array>(out: T, offset = 0): T {
    if (!Number.isInteger(offset) || offset < 0 || out.length - offset < 32) throw new RangeError('Sm3Hasher.digestInto: the output needs 32 bytes');
    const block = this.block;
    const v = this.v;
    let used = this.blockLen;
    block[used++] = 0x80;
    if (used > 56) {
      block.fill(0, used);
      compressBlocks(v, this.blockView, 0, 64);
      used = 0;
    }
    block.fill(0, used, 56);
    // The message length in bits, 64-bit big-endian.
    const total = this.total;
    const hi = Math.floor(total / 0x20000000);
    const lo = total << 3; // ToInt32 keeps total mod 2^32, so this is (8·total) mod 2^32
    block[56] = hi >>> 24;
    block[57] = hi >>> 16;
    block[58] = hi >>> 8;
    block[59] = hi;
    block[60] = lo >>> 24;
    block[61] = lo >>> 16;
    block[62] = lo >>> 8;
    block[63] = lo;
    compressBlocks(v, this.blockView, 0, 64);
    for (let k = 0, p = offset; k < 8; k++, p += 4) {
      const x = v[k];
      out[p] = x >>> 24;
      out[p + 1] = x >>> 16;
      out[p + 2] = x >>> 8;
      out[p + 3] = x;
    }
    this.reset();
    return out;
  }
}

/**
 * One link of a hash chain, SM3(previous ‖ prefix ‖ data[start, end)), with the previous digest and the
 * result held as eight int32 words (big-endian words of the digest, as the chaining value is): a verifier
 * walking a chain never turns a digest into bytes, and reads the message straight out of the buffer it was
 * read into (one DataView per buffer, passed in), with no copy and no allocation per link.
 *
 * Why a class of its own (issue 6, verification ≥ 0.5× `openssl dgst -sm3`): with Sm3Hasher a ~330-byte
 * link costs three update() calls, a DataView per message, the previous digest and the prefix copied into
 * the block a byte at a time and the digest written out as bytes; here the first block is the previous
 * digest's words (setInt32), the prefix (written once, at construction) and the first bytes of the data,
 * so per link only those few bytes, the tail and the padding are copied.
 */
export class Sm3Link {
  private readonly state = new Int32Array(8);
  /** The first block: previous digest (words 0–7), prefix, then the data's first bytes. */
  private readonly head = new Uint8Array(64);
  private readonly headView = new DataView(this.head.buffer);
  /** The tail of the data, the padding and the length (one or two blocks). */
  private readonly tail = new Uint8Array(128);
  private readonly tailView = new DataView(this.tail.buffer);
  /** Bytes of the first block before the data: 32 (previous digest) + the prefix. */
  private readonly fixed: number;
  private readonly slow = new Sm3Hasher();
  private readonly prefix: Uint8Array;
  private readonly scratch = new Uint8Array(32);

  /** `prefix`: what comes between the previous digest and the data, at most 31 bytes (one first block). */
  constructor(prefix: Uint8Array) {
    if (prefix.length > 31) throw new RangeError('Sm3Link: the prefix must be at most 31 bytes');
    this.prefix = Uint8Array.from(prefix);
    this.head.set(this.prefix, 32);
    this.fixed = 32 + prefix.length;
  }

  /**
   * Replaces `words` (the previous digest as 8 int32 words) with SM3(previous ‖ prefix ‖ data[start, end)).
   * `view` is a DataView over the same bytes as `data` (same buffer, same byteOffset).
   */
  next(words: Int32Array, data: Uint8Array, view: DataView, start: number, end: number): void {
    const fixed = this.fixed;
    const first = 64 - fixed;
    const len = end - start;
    if (len < first) {
      // Shorter than the first block's room: the general hasher (never the case for audit events).
      this.slow.update(digestBytes(words, this.scratch)).update(this.prefix).update(data.subarray(start, end));
      digestWords(this.slow.digestInto(this.scratch), words);
      return;
    }
    const v = this.state;
    v.set(IV);
    const hv = this.headView;
    for (let k = 0; k < 8; k++) hv.setInt32(4 * k, words[k]);
    const head = this.head;
    for (let i = 0; i < first; i++) head[fixed + i] = data[start + i];
    compressBlocks(v, hv, 0, 64);
    let at = start + first;
    const whole = at + ((end - at) & ~63);
    if (whole > at) compressBlocks(v, view, at, whole);
    at = whole;
    // The tail (< 64 bytes), 0x80, zeros, the length in bits (64-bit big-endian) in one or two blocks.
    const tail = this.tail;
    let used = 0;
    for (; at < end; at++) tail[used++] = data[at];
    tail[used++] = 0x80;
    const blocks = used > 56 ? 128 : 64;
    tail.fill(0, used, blocks - 8);
    const total = fixed + len;
    const tv = this.tailView;
    tv.setInt32(blocks - 8, Math.floor(total / 0x20000000));
    tv.setInt32(blocks - 4, total << 3);
    compressBlocks(v, tv, 0, blocks);
    words.set(v);
  }
}

function digestBytes(words: Int32Array, out: Uint8Array): Uint8Array {
  for (let k = 0; k < 8; k++) {
    const x = words[k];
    out[4 * k] = x >>> 24;
    out[4 * k + 1] = x >>> 16;
    out[4 * k + 2] = x >>> 8;
    out[4 * k + 3] = x;
  }
  return out;
}

/** The 8 big-endian int32 words of a 32-byte digest (into `out`). */
export function digestWords(digest: Uint8Array, out: Int32Array = new Int32Array(8)): Int32Array {
  if (digest.length !== 32) throw new RangeError('digestWords: a digest is 32 bytes');
  for (let k = 0; k < 8; k++) out[k] = (digest[4 * k] << 24) | (digest[4 * k + 1] << 16) | (digest[4 * k + 2] << 8) | digest[4 * k + 3];
  return out;
}

/** The 32 bytes of a digest held as 8 words (a new Buffer). */
export function wordsDigest(words: Int32Array): Buffer {
  return digestBytes(words, Buffer.allocUnsafe(32)) as Buffer;
}

const shared = new Sm3Hasher();

/**
 * SM3 of the concatenation of `parts`, without concatenating them (blocks are streamed across the parts'
 * boundaries). The digest goes into `out` (32 bytes from its start) when given, else into a new Buffer;
 * that is returned. `out` may be one of the parts: the parts are read in full before it is written.
 */
export function sm3Parts(parts: readonly Uint8Array[]): Buffer;
export function sm3Parts<T extends Uint8Array>(parts: readonly Uint8Array[], out: T): T;
export function sm3Parts(parts: readonly Uint8Array[], out?: Uint8Array): Uint8Array {
  const h = shared.reset();
  for (let i = 0; i < parts.length; i++) h.update(parts[i]);
  return h.digestInto(out ?? Buffer.allocUnsafe(32));
}
