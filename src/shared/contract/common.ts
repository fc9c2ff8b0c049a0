import { z } from 'zod';

/** Procedures that take nothing accept `{}` (or nothing at all). */
export const noInput = z.object({}).strict().default({});

// NUL cannot be stored in PostgreSQL text, and other control characters are never intended in
// an email, a name or a search; refuse them rather than act on something the admin did not type.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001F\u007F]*$/;

/** PostgreSQL's `integer` (the seed's SERIAL ids): anything outside it can never name a row. */
export const INT4_MAX = 2_147_483_647;
