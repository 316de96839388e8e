import dayjs from 'dayjs';
import type { Address } from '../../shared/mail-center-api';

/** The list's date column: the time for today's mail, else the date (S-CENTER-3). */
export function listDate(iso: string, now = dayjs()): string {
  const date = dayjs(iso);
  if (!date.isValid()) return '';
  if (date.isSame(now, 'day')) return date.format('HH:mm');
  if (date.isSame(now, 'year')) return date.format('MM-DD');
  return date.format('YYYY-MM-DD');
}

export function fullDate(iso: string): string {
  const date = dayjs(iso);
  return date.isValid() ? date.format('YYYY-MM-DD HH:mm') : '';
}

/** 1 KB = 1024 bytes, 1 MB = 1,048,576 bytes (SPEC). */
export function fileSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** "Ann Lee" or, without a name, the address. */
export function addressName(address: Address): string {
  return address.name?.trim() || address.address;
}

/** "Ann Lee <ann@x.com>". */
export function addressFull(address: Address): string {
  const name = address.name?.trim();
  return name && name !== address.address ? `${name} <${address.address}>` : address.address;
}

/** The correspondents column: first names only when several, as mail clients do. */
export function correspondentsText(addresses: Address[]): string {
  if (!addresses?.length) return '';
  if (addresses.length === 1) return addressName(addresses[0]);
  return addresses.map((a) => addressName(a).split(/[\s@]/)[0]).join(', ');
}

/** The unread count as badges show it: "99+" above 99 (S-CENTER-1). */
export function badgeText(count: number): string {
  return count > 99 ? '99+' : String(count);
}
