// 数据汇聚白名单 (the table-pull allow-list): the database servers the platform's server may connect to when
// a data steward pulls a table. A setting of its own (key `data_pull_hosts`), not part of the
// identity-authentication SecurityPolicy. Never saved: an empty list, every pull refused (secure by default).
// Entries and matching: src/engines/pull-hosts.
import { type Static, Type } from 'typebox';
import { MAX_PULL_HOST_ENTRIES } from '../../engines/pull-hosts/index.ts';

export const DATA_PULL_HOSTS_KEY = 'data_pull_hosts';

export const DataPullHosts = Type.Object(
  {
    hosts: Type.Array(Type.String({ maxLength: 300 }), {
      maxItems: MAX_PULL_HOST_ENTRIES,
      description: '主机名、IP 地址或网段（CIDR），可带端口：db.example.cn、10.0.0.5:5432、10.20.0.0/16、[fd00::1]:5432、fd00::/8',
    }),
  },
  { additionalProperties: false },
);
export type DataPullHosts = Static<typeof DataPullHosts>;
