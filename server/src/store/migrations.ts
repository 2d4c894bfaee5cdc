/**
 * The schema's history, oldest first. A migration is never edited once shipped: change the
 * schema by appending a new version. Each dialect gets its own text because the types differ
 * (SQLite: INTEGER epoch ms, STRICT tables; PostgreSQL: timestamptz, identity, BIGINT).
 *
 * Integrity the database itself guarantees, so a route bug cannot corrupt data:
 * - a photo's album belongs to the photo's family (composite FK to albums(id, family_id));
 * - a photo points at a known object of its family (FK to objects(family_id, hash));
 * - a family has at most one default album; an invite never counts more uses than it allows;
 * - hashes are lower-case hex MD5.
 */

export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

const initialSqlite = `
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  openid TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_expires_at ON sessions(expires_at);

CREATE TABLE families (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE family_members (
  family_id INTEGER NOT NULL REFERENCES families(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  role TEXT NOT NULL CHECK (role IN ('owner', 'member')),
  joined_at INTEGER NOT NULL,
  PRIMARY KEY (family_id, user_id)
) STRICT;
CREATE INDEX family_members_user_id ON family_members(user_id);

CREATE TABLE albums (
  id INTEGER PRIMARY KEY,
  family_id INTEGER NOT NULL REFERENCES families(id),
  name TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  UNIQUE (id, family_id)
) STRICT;
CREATE INDEX albums_family_id ON albums(family_id);
CREATE UNIQUE INDEX albums_one_default ON albums(family_id) WHERE is_default = 1;

CREATE TABLE invites (
  code_hash TEXT PRIMARY KEY,
  family_id INTEGER NOT NULL REFERENCES families(id),
  created_by INTEGER NOT NULL REFERENCES users(id),
  expires_at INTEGER NOT NULL,
  max_uses INTEGER NOT NULL CHECK (max_uses >= 1),
  uses INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0 AND uses <= max_uses),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE objects (
  family_id INTEGER NOT NULL REFERENCES families(id),
  hash TEXT NOT NULL CHECK (length(hash) = 32 AND hash NOT GLOB '*[^0-9a-f]*'),
  object_key TEXT NOT NULL UNIQUE,
  file_size INTEGER NOT NULL CHECK (file_size >= 0),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (family_id, hash)
) STRICT;

CREATE TABLE photos (
  id INTEGER PRIMARY KEY,
  album_id INTEGER NOT NULL,
  family_id INTEGER NOT NULL,
  hash TEXT NOT NULL,
  object_key TEXT NOT NULL,
  file_name TEXT NOT NULL,
  file_type TEXT NOT NULL,
  file_size INTEGER NOT NULL CHECK (file_size >= 0),
  creator_id INTEGER NOT NULL REFERENCES users(id),
  upload_time INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (album_id, hash),
  FOREIGN KEY (album_id, family_id) REFERENCES albums(id, family_id),
  FOREIGN KEY (family_id, hash) REFERENCES objects(family_id, hash)
) STRICT;
CREATE INDEX photos_album_id_id ON photos(album_id, id DESC);
`;

const initialPostgres = `
CREATE TABLE users (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  openid TEXT NOT NULL UNIQUE,
  created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id),
  expires_at TIMESTAMPTZ NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions(expires_at);

CREATE TABLE families (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name TEXT NOT NULL,
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE family_members (
  family_id BIGINT NOT NULL REFERENCES families(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  role TEXT NOT NULL CHECK (role IN ('owner', 'member')),
  joined_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (family_id, user_id)
);
CREATE INDEX family_members_user_id ON family_members(user_id);

CREATE TABLE albums (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  family_id BIGINT NOT NULL REFERENCES families(id),
  name TEXT NOT NULL,
  is_default BOOLEAN NOT NULL DEFAULT false,
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (id, family_id)
);
CREATE INDEX albums_family_id ON albums(family_id);
CREATE UNIQUE INDEX albums_one_default ON albums(family_id) WHERE is_default;

CREATE TABLE invites (
  code_hash TEXT PRIMARY KEY,
  family_id BIGINT NOT NULL REFERENCES families(id),
  created_by BIGINT NOT NULL REFERENCES users(id),
  expires_at TIMESTAMPTZ NOT NULL,
  max_uses INTEGER NOT NULL CHECK (max_uses >= 1),
  uses INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0 AND uses <= max_uses),
  created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE objects (
  family_id BIGINT NOT NULL REFERENCES families(id),
  hash CHAR(32) NOT NULL CHECK (hash ~ '^[0-9a-f]{32}$'),
  object_key TEXT NOT NULL UNIQUE,
  file_size BIGINT NOT NULL CHECK (file_size >= 0),
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (family_id, hash)
);

CREATE TABLE photos (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  album_id BIGINT NOT NULL,
  family_id BIGINT NOT NULL,
  hash CHAR(32) NOT NULL,
  object_key TEXT NOT NULL,
  file_name TEXT NOT NULL,
  file_type TEXT NOT NULL,
  file_size BIGINT NOT NULL CHECK (file_size >= 0),
  creator_id BIGINT NOT NULL REFERENCES users(id),
  upload_time TIMESTAMPTZ NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (album_id, hash),
  FOREIGN KEY (album_id, family_id) REFERENCES albums(id, family_id),
  FOREIGN KEY (family_id, hash) REFERENCES objects(family_id, hash)
);
CREATE INDEX photos_album_id_id ON photos(album_id, id DESC);
`;

/** Unfinished multipart uploads the server initiated: one per family and hash, so devices resume one upload. */
const multipartUploadsSqlite = `
CREATE TABLE multipart_uploads (
  upload_id TEXT PRIMARY KEY,
  family_id INTEGER NOT NULL REFERENCES families(id),
  hash TEXT NOT NULL CHECK (length(hash) = 32 AND hash NOT GLOB '*[^0-9a-f]*'),
  object_key TEXT NOT NULL,
  size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
  part_size INTEGER NOT NULL CHECK (part_size > 0),
  file_type TEXT NOT NULL CHECK (file_type IN ('image', 'video')),
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  UNIQUE (family_id, hash)
) STRICT;
CREATE INDEX multipart_uploads_created_at ON multipart_uploads(created_at);
`;

const multipartUploadsPostgres = `
CREATE TABLE multipart_uploads (
  upload_id TEXT PRIMARY KEY,
  family_id BIGINT NOT NULL REFERENCES families(id),
  hash CHAR(32) NOT NULL CHECK (hash ~ '^[0-9a-f]{32}$'),
  object_key TEXT NOT NULL,
  size_bytes BIGINT NOT NULL CHECK (size_bytes > 0),
  part_size BIGINT NOT NULL CHECK (part_size > 0),
  file_type TEXT NOT NULL CHECK (file_type IN ('image', 'video')),
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (family_id, hash)
);
CREATE INDEX multipart_uploads_created_at ON multipart_uploads(created_at);
`;

// Profiles, and deleting photos: the reference check of a delete ("does any photo still use this
// object?") and the FK check of an object row's removal both look photos up by (family_id, hash).
// An object whose last photo was deleted is marked `deleting` until its OSS delete is done: no
// commit may record a photo on it meanwhile (see Store.deletePhoto).
const profilesSqlite = `
ALTER TABLE users ADD COLUMN nickname TEXT CHECK (nickname IS NULL OR length(nickname) BETWEEN 1 AND 64);
ALTER TABLE users ADD COLUMN avatar_key TEXT CHECK (avatar_key IS NULL OR avatar_key LIKE 'avatars/%');
CREATE INDEX photos_family_id_hash ON photos(family_id, hash);
ALTER TABLE objects ADD COLUMN deleting INTEGER NOT NULL DEFAULT 0 CHECK (deleting IN (0, 1));
`;

const profilesPostgres = `
ALTER TABLE users ADD COLUMN nickname TEXT CHECK (nickname IS NULL OR char_length(nickname) BETWEEN 1 AND 64);
ALTER TABLE users ADD COLUMN avatar_key TEXT CHECK (avatar_key IS NULL OR avatar_key LIKE 'avatars/%');
CREATE INDEX photos_family_id_hash ON photos(family_id, hash);
ALTER TABLE objects ADD COLUMN deleting BOOLEAN NOT NULL DEFAULT false;
`;

// When an object row was marked deleting (or last claimed by a sweep): the server's sweep finishes
// deletions a process left half done (it died between the mark and the OSS delete), once they are
// old enough not to be in progress. Added beside the boolean, not instead of it, so an instance
// still running the previous version keeps working during a rolling deploy; a deleting row
// without a time (marked before this migration, or by such an instance) counts as old. The
// partial index holds only the few rows being deleted.
const deletingSinceSqlite = `
ALTER TABLE objects ADD COLUMN deleting_since INTEGER;
CREATE INDEX objects_deleting ON objects(object_key) WHERE deleting = 1;
`;

const deletingSincePostgres = `
ALTER TABLE objects ADD COLUMN deleting_since TIMESTAMPTZ;
CREATE INDEX objects_deleting ON objects(object_key) WHERE deleting;
`;

export const migrations: readonly Migration[] = [
  { version: 1, name: 'initial schema', sqlite: initialSqlite, postgres: initialPostgres },
  { version: 2, name: 'multipart uploads', sqlite: multipartUploadsSqlite, postgres: multipartUploadsPostgres },
  { version: 3, name: 'profiles and photo deletion', sqlite: profilesSqlite, postgres: profilesPostgres },
  { version: 4, name: 'when object deletions began', sqlite: deletingSinceSqlite, postgres: deletingSincePostgres },
];

/** The migrations not yet applied, in order; throws when the list itself is malformed. */
export function pendingMigrations(applied: Iterable<number>, list: readonly Migration[] = migrations): Migration[] {
  list.forEach((m, i) => {
    if (!Number.isInteger(m.version) || m.version < 1 || (i > 0 && m.version <= list[i - 1].version)) {
      throw new Error(`migrations must have strictly increasing positive integer versions (at ${m.version} "${m.name}")`);
    }
  });
  const done = new Set(applied);
  return list.filter((m) => !done.has(m.version));
}
