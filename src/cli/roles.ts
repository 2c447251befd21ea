/**
 * `npm run roles -- list [--commune <id>]` and `npm run roles -- revoke <identity>` (identity as listed,
 * e.g. telegram:123456789).
 */
import { parseArgs } from 'node:util';
import { RoleStore, ROLE_LABEL } from '../store/roles.js';
import { connectCli, runCli } from './connect.js';

runCli(async () => {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { commune: { type: 'string' } } });
  const [command, identity] = positionals;
  const { redis } = await connectCli();
  const roles = new RoleStore(redis);
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
      const ok = await roles.revoke(identity, 'cli');
      console.log(ok ? `Đã thu hồi vai trò của ${identity}` : `${identity} không có vai trò nào`);
      return ok ? 0 : 1;
    }
    console.error('usage: npm run roles -- list [--commune <id>] | revoke <identity>');
    return 2;
  } finally {
    redis.disconnect();
  }
});
