/**
 * Zalo's per-person keys (the messaging window, free replies, the note to non-followers) name the person
 * by a keyed hash of their Zalo user id: those keys hold the time of the person's last message, which
 * beside a user id in clear would tie them to the report they sent at that moment.
 */
import type { DataCipher } from '../../store/crypto.js';

export type UserTag = (userId: string) => string;

export const zaloUserTag =
  (cipher: Pick<DataCipher, 'blind'>): UserTag =>
  (userId) =>
    cipher.blind(`zalo-user:${userId}`);
