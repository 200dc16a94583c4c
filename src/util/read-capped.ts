import { open } from 'node:fs/promises';

// `stat().size` is 0 for devices, FIFOs and /proc files, so a size check before reading cannot stop
// `-f /dev/zero`. The cap is enforced while reading instead: at most `maxBytes + 1` bytes are ever read.

/** The file is larger than the cap; `read` says how many bytes were read before giving up. */
export class FileTooLargeError extends Error {
  readonly code = 'EFBIG';
  constructor(readonly path: string, readonly maxBytes: number) {
    super(`${path}: file is larger than the limit of ${maxBytes} bytes`);
    this.name = 'FileTooLargeError';
  }
}

const CHUNK = 64 * 1024;

/** Reads the whole file, or throws FileTooLargeError as soon as more than `maxBytes` bytes arrive. */
export async function readCapped(path: string, maxBytes: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    if ((await fh.stat()).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR', path });
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw new FileTooLargeError(path, maxBytes);
    }
    return new Uint8Array(Buffer.concat(chunks, total));
  } finally {
    await fh.close();
  }
}
