import fs from 'node:fs';

/**
 * File systems whose changes made elsewhere (another machine, the host of a VM or container) raise
 * no inotify event here, by `statfs` type (Linux magic numbers): an archive on one is polled.
 */
const WITHOUT_EVENTS = new Map<number, string>([
  [0x6969, 'NFS'],
  [0x517b, 'SMB'],
  [0xff534d42, 'CIFS'],
  [0xfe534d42, 'SMB2'],
  [0x01021997, '9p'],
  [0x00c36400, 'Ceph'],
  [0x5346414f, 'AFS'],
  [0x65735546, 'FUSE'],
  [0x786f4256, 'vboxsf'],
]);

/** The name of the folder's file system when it raises no events for remote changes, else null. */
export function fileSystemWithoutEvents(dir: string): string | null {
  try {
    return WITHOUT_EVENTS.get(fs.statfsSync(dir).type) ?? null;
  } catch {
    return null; // statfs unsupported here: assume events work, as on most systems
  }
}
