/**
 * Whether a database URL selects PostgreSQL: `postgres://` or `postgresql://`, in any case (URL
 * schemes are case-insensitive, RFC 3986 §3.1). The one check the configuration and the store share,
 * so a URL the configuration accepts is one the store opens.
 */
export function isPostgresUrl(url: string | undefined): boolean {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}
