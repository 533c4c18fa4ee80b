// Draws build/icon.png (512×512: a blue rounded square with «500+» in white) with nothing
// but zlib, so the packaging resources can be regenerated on any machine: node build/make-icon.mjs
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const S = 512;
const px = Buffer.alloc(S * S * 4);
const set = (x, y, [r, g, b, a]) => {
  const i = (y * S + x) * 4;
  px[i] = r; px[i + 1] = g; px[i + 2] = b; px[i + 3] = a;
};

// Rounded square, radius 96, with a soft 1-px edge.
const R = 96, blue = [31, 94, 168, 255];
for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) {
  const cx = Math.min(Math.max(x, R), S - 1 - R), cy = Math.min(Math.max(y, R), S - 1 - R);
  const d = Math.hypot(x - cx, y - cy);
  if (d <= R) set(x, y, [...blue.slice(0, 3), Math.round(255 * Math.min(1, R - d + 0.5))]);
}

// 5×7 glyphs for «500+».
const glyphs = {
  5: ['11111', '10000', '11110', '00001', '00001', '10001', '01110'],
  0: ['01110', '10001', '10001', '10001', '10001', '10001', '01110'],
  '+': ['00000', '00100', '00100', '11111', '00100', '00100', '00000'],
};
const text = '500+', cell = 17, gap = 1;
const width = text.length * (5 + gap) - gap;
const x0 = Math.round((S - width * cell) / 2), y0 = Math.round((S - 7 * cell) / 2);
[...text].forEach((ch, k) => {
  glyphs[ch].forEach((row, gy) => [...row].forEach((bit, gx) => {
    if (bit !== '1') return;
    for (let dy = 0; dy < cell; dy++) for (let dx = 0; dx < cell; dx++) set(x0 + (k * (5 + gap) + gx) * cell + dx, y0 + gy * cell + dy, [255, 255, 255, 255]);
  }));
});

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(S, 0); ihdr.writeUInt32BE(S, 4); ihdr[8] = 8; ihdr[9] = 6;
const raw = Buffer.alloc(S * (S * 4 + 1));
for (let y = 0; y < S; y++) px.copy(raw, y * (S * 4 + 1) + 1, y * S * 4, (y + 1) * S * 4);
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'icon.png');
fs.writeFileSync(out, png);
console.log(`${out}: ${png.length} байт`);
