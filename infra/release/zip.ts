/**
 * A deterministic zip writer for the release's lambda.zip: entries sorted by name, every timestamp the zip epoch
 * (1980-01-01 00:00), fixed permissions (0644), stored without compression. Stored, not deflated: the bytes then
 * depend on the files alone, not on the zlib build of the Node that ran the release, so anyone can rebuild the
 * artifact and compare checksums. The bundle is a few hundred KB; Lambda's zip limit is 50 MB.
 * A minimal writer instead of a dependency: the format needed is three fixed records (APPNOTE.TXT 4.3).
 */
import { crc32 } from 'node:zlib';

/** One file of the archive. */
export interface ZipEntry {
  /** Path inside the archive, `/`-separated, relative. */
  readonly name: string;
  readonly data: Buffer;
}

const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
const DOS_TIME_MIDNIGHT = 0;
const VERSION_NEEDED = 10; // 1.0: stored entries, no extensions
const MADE_BY_UNIX = (3 << 8) | VERSION_NEEDED;
const FILE_MODE_0644 = (0o100644 << 16) >>> 0;
const UTF8_NAMES = 0x0800;

/**
 * The fields the local header and the central directory record share, in the same order (version needed, flags,
 * method, time, date, CRC-32, both sizes, name length), from `at`: 4 in the local header, 6 in the central record.
 */
function writeCommonFields(header: Buffer, at: number, crc: number, size: number, nameLength: number): void {
  header.writeUInt16LE(VERSION_NEEDED, at);
  header.writeUInt16LE(UTF8_NAMES, at + 2);
  header.writeUInt16LE(0, at + 4); // stored
  header.writeUInt16LE(DOS_TIME_MIDNIGHT, at + 6);
  header.writeUInt16LE(DOS_DATE_1980_01_01, at + 8);
  header.writeUInt32LE(crc, at + 10);
  header.writeUInt32LE(size, at + 14); // compressed: stored, so the same
  header.writeUInt32LE(size, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
}

/** Builds the archive. @throws Error on an unsafe or duplicate name, or a size needing Zip64 */
export function deterministicZip(entries: readonly ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  sorted.forEach((entry, index) => {
    if (!/^[^/\\][^\\]*$/.test(entry.name) || entry.name.split('/').includes('..')) {
      throw new Error(`zip entry name "${entry.name}" must be a relative path with / separators`);
    }
    if (index > 0 && sorted[index - 1]!.name === entry.name) throw new Error(`zip entry "${entry.name}" is twice`);
    if (entry.data.length >= 0xffffffff) throw new Error(`zip entry "${entry.name}" needs Zip64: not supported`);
    const name = Buffer.from(entry.name, 'utf8');
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeCommonFields(local, 4, crc, entry.data.length, name.length);
    local.writeUInt16LE(0, 28); // extra length
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    writeCommonFields(central, 6, crc, entry.data.length, name.length);
    // extra length, comment length, disk number, internal attributes: all 0
    central.writeUInt32LE(FILE_MODE_0644, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  });
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
