/** Builds Telegram updates the way the Bot API sends them, for webhook and polling tests. */
let nextUpdateId = 1;
let nextMessageId = 1;

/** A new message in the private chat with `userId`, without its content. */
function privateMessage(userId: number) {
  return {
    message_id: nextMessageId++,
    date: Math.floor(Date.now() / 1000),
    chat: { id: userId, type: 'private', first_name: 'Lan' },
    from: { id: userId, is_bot: false, first_name: 'Lan', language_code: 'vi' },
  };
}

export function textUpdate(userId: number, text: string, updateId = nextUpdateId++) {
  return {
    update_id: updateId,
    message: { ...privateMessage(userId), text },
  };
}

export function buttonUpdate(userId: number, data: string, updateId = nextUpdateId++) {
  return {
    update_id: updateId,
    callback_query: {
      id: `cq${updateId}`,
      from: { id: userId, is_bot: false, first_name: 'Lan' },
      chat_instance: 'ci',
      data,
      message: { ...privateMessage(userId), from: undefined, text: '…' },
    },
  };
}

export function stickerUpdate(userId: number, updateId = nextUpdateId++) {
  return {
    update_id: updateId,
    message: {
      ...privateMessage(userId),
      sticker: { file_id: 'stk', file_unique_id: 'u', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false },
    },
  };
}

/** A photo, document, voice note or location, with an optional caption. */
export function mediaUpdate(userId: number, media: { kind: 'photo' | 'file' | 'voice' | 'location'; ref: string; caption?: string }, updateId = nextUpdateId++) {
  const content =
    media.kind === 'photo'
      ? { photo: [{ file_id: media.ref, file_unique_id: `u${media.ref}`, width: 1280, height: 960 }] }
      : media.kind === 'file'
        ? { document: { file_id: media.ref, file_unique_id: `u${media.ref}`, file_name: 'giay-to.pdf' } }
        : media.kind === 'voice'
          ? { voice: { file_id: media.ref, file_unique_id: `u${media.ref}`, duration: 12 } }
          : { location: { latitude: Number(media.ref.split(',')[0]), longitude: Number(media.ref.split(',')[1]) } };
  return {
    update_id: updateId,
    message: { ...privateMessage(userId), ...content, ...(media.caption ? { caption: media.caption } : {}) },
  };
}
