import type { FastifyReply } from 'fastify';
import { setETag } from './etag';

export interface VersionedAnswer {
  /** The version of the stream behind the resource: its ETag. */
  readonly version: number;
  /** Where the resource lives, for a 201. */
  readonly location?: string;
}

/** Sets the answer's ETag (and Location) on the reply and hands the body back to return. */
export function replyWithVersion<Body>(reply: FastifyReply, body: Body, answer: VersionedAnswer): Body {
  setETag(reply, answer.version);
  if (answer.location !== undefined) reply.header('location', answer.location);
  return body;
}
