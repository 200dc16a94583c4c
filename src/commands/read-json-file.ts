import { UsageError } from '../errors.ts';
import { FileTooLargeError, readCapped } from '../util/read-capped.ts';

/** A saved plan of ten thousand tokens is a few MB; a file far larger is not a plan. */
export const MAX_PLAN_BYTES = 64 * 1024 * 1024;

/** Reads a JSON file under a byte cap that holds for devices and FIFOs too (`apply /dev/zero`). */
export async function readJsonFile(path: string): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await readCapped(path, MAX_PLAN_BYTES);
  } catch (err) {
    if (err instanceof FileTooLargeError) throw new UsageError(`${path}: file is too large (more than ${MAX_PLAN_BYTES} bytes, the limit)`);
    throw err;
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    throw new UsageError(`${path} is not a JSON file (not valid UTF-8 JSON text)`);
  }
}
