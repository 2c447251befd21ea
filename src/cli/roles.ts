/**
 * `npm run roles -- list [--commune <id>]`, `npm run roles -- revoke <identity>` (identity as listed,
 * e.g. telegram:123456789), `npm run roles -- links` (channels people linked with /lienket) and
 * `npm run roles -- unlink <identity>` (either side of a link).
 */
import { parseArgs } from 'node:util';
import { LinkStore } from '../store/links.js';
import { RoleStore, ROLE_LABEL } from '../store/roles.js';
import { connectCli, runCli } from './connect.js';

runCli(async () => {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { commune: { type: 'string' } } });
  const [command, identity] = positionals;
  const { redis, audit, actor, cipher } = await connectCli();
  const roles = new RoleStore(redis, audit, cipher);
  try {
    if (command === 'list') {
      const members = await roles.list(values.commune);
      if (!members.length) console.log('(chưa có ai)');
      for (const m of members) {
        console.log(`${m.identity}\t${m.communeId}\t${m.role}\t${ROLE_LABEL[m.role]}${m.village ? ` ${m.village}` : ''}\tsince ${new Date(m.since).toISOString()}`);
      }
      return 0;
    }
    if (command === 'revoke' && identity) {
      const ok = await roles.revoke(identity, actor);
      console.log(ok ? `Đã thu hồi vai trò của ${identity}` : `${identity} không có vai trò nào`);
      return ok ? 0 : 1;
    }
    const links = new LinkStore(redis, audit);
    if (command === 'links') {
      const all = await links.list();
      if (!all.length) console.log('(chưa có liên kết nào)');
      for (const l of all) console.log(`${l.primary}\t↔\t${l.linked}`);
      return 0;
    }
    if (command === 'unlink' && identity) {
      const n = await links.unlink(identity, actor);
      console.log(n ? `Đã gỡ ${n} liên kết của ${identity}` : `${identity} không có liên kết nào`);
      return n ? 0 : 1;
    }
    console.error('usage: npm run roles -- list [--commune <id>] | revoke <identity> | links | unlink <identity>');
    return 2;
  } finally {
    redis.disconnect();
  }
});
