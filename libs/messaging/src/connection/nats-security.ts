import type { NatsSecret } from './nats-secret';

/**
 * How a client proves who it is to NATS. `setting` names where the credential came from
 * (`NATS_CREDS_FILE`, `NATS_USER/NATS_PASSWORD_FILE`, `NATS_URL`…), so that a refusal can say
 * which setting to check without showing the credential.
 */
export type NatsAuth =
  /** A .creds file: the user's JWT and its nkey seed (decentralised auth, `nsc`). */
  | { readonly kind: 'creds'; readonly setting: string; readonly creds: NatsSecret }
  /** A bare nkey seed (`nkeys` users in the server's config). */
  | { readonly kind: 'nkey'; readonly setting: string; readonly seed: NatsSecret }
  | { readonly kind: 'token'; readonly setting: string; readonly token: NatsSecret }
  | { readonly kind: 'user'; readonly setting: string; readonly user: string; readonly password: NatsSecret };

/** PEM contents, read at start-up (the files' names stay in the settings, for error messages). */
export interface NatsTls {
  /** The CA that signed the server's certificate; unset: the system's CAs. */
  readonly ca?: string;
  /** A client certificate and its key, for servers that `verify` clients. Both or neither. */
  readonly cert?: string;
  readonly key?: NatsSecret;
}

export interface NatsSecurity {
  readonly auth?: NatsAuth;
  /** Set: the connection must be TLS (whatever the URL's scheme). */
  readonly tls?: NatsTls;
  /**
   * The subject prefix of the replies this client receives (default `_INBOX`). Where every user may
   * subscribe to `_INBOX.>`, one user can read the replies meant for another (the messages a pull
   * consumer fetches among them); with a prefix per user (`_INBOX_inventory`), each may subscribe
   * to its own replies only.
   */
  readonly inboxPrefix?: string;
}
