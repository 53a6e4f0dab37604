/**
 * What a read-only analytics query may touch. Everything not listed here is refused by default:
 * - objects: tables, views and table-valued functions of the database's user schemas (any schema but
 *   `sys` and `INFORMATION_SCHEMA`), in this or another user database; in the system schemas only the
 *   catalog views below (the ones the catalog tools read, and their neighbours that describe tables);
 * - functions: the built-in scalar, aggregate and window functions below, and functions of user schemas
 *   (the login's EXECUTE rights govern those);
 * - system variables: the `@@` names below.
 * Lists are upper case; names compare without regard to case, as in a case-insensitive database.
 */

/** Built-in functions that compute on values and read nothing outside the query's own rows. */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  // strings
  'ASCII', 'CHAR', 'CHARINDEX', 'CONCAT', 'CONCAT_WS', 'DATALENGTH', 'DIFFERENCE', 'FORMAT', 'LEFT', 'LEN', 'LOWER',
  'LTRIM', 'NCHAR', 'PATINDEX', 'QUOTENAME', 'REPLACE', 'REPLICATE', 'REVERSE', 'RIGHT', 'RTRIM', 'SOUNDEX', 'SPACE',
  'STR', 'STRING_AGG', 'STRING_ESCAPE', 'STUFF', 'SUBSTRING', 'TRANSLATE', 'TRIM', 'UNICODE', 'UPPER',
  // numbers
  'ABS', 'ACOS', 'ASIN', 'ATAN', 'ATN2', 'CEILING', 'COS', 'COT', 'DEGREES', 'EXP', 'FLOOR', 'GREATEST', 'LEAST', 'LOG',
  'LOG10', 'PI', 'POWER', 'RADIANS', 'RAND', 'ROUND', 'SIGN', 'SIN', 'SQRT', 'SQUARE', 'TAN',
  // dates and times
  'CURRENT_TIMESTAMP', 'DATEADD', 'DATEDIFF', 'DATEDIFF_BIG', 'DATEFROMPARTS', 'DATENAME', 'DATEPART', 'DATETIME2FROMPARTS',
  'DATETIMEFROMPARTS', 'DATETIMEOFFSETFROMPARTS', 'DATE_BUCKET', 'DATETRUNC', 'DAY', 'EOMONTH', 'GETDATE', 'GETUTCDATE',
  'ISDATE', 'MONTH', 'SMALLDATETIMEFROMPARTS', 'SWITCHOFFSET', 'SYSDATETIME', 'SYSDATETIMEOFFSET', 'SYSUTCDATETIME',
  'TIMEFROMPARTS', 'TODATETIMEOFFSET', 'YEAR',
  // conversion and logic
  'CAST', 'CONVERT', 'TRY_CAST', 'TRY_CONVERT', 'PARSE', 'TRY_PARSE', 'CHOOSE', 'COALESCE', 'IIF', 'ISNULL', 'ISNUMERIC', 'NULLIF',
  // aggregates
  'APPROX_COUNT_DISTINCT', 'APPROX_PERCENTILE_CONT', 'APPROX_PERCENTILE_DISC', 'AVG', 'CHECKSUM_AGG', 'COUNT', 'COUNT_BIG',
  'GROUPING', 'GROUPING_ID', 'MAX', 'MIN', 'STDEV', 'STDEVP', 'SUM', 'VAR', 'VARP',
  // window functions
  'CUME_DIST', 'DENSE_RANK', 'FIRST_VALUE', 'LAG', 'LAST_VALUE', 'LEAD', 'NTILE', 'PERCENT_RANK', 'PERCENTILE_CONT',
  'PERCENTILE_DISC', 'RANK', 'ROW_NUMBER',
  // JSON on values
  'ISJSON', 'JSON_ARRAY', 'JSON_MODIFY', 'JSON_OBJECT', 'JSON_PATH_EXISTS', 'JSON_QUERY', 'JSON_VALUE',
  // checksums, identifiers
  'BINARY_CHECKSUM', 'CHECKSUM', 'HASHBYTES', 'NEWID',
  // names and ids of catalog objects (what the catalog tools show)
  'COL_LENGTH', 'COL_NAME', 'COLUMNPROPERTY', 'DB_ID', 'DB_NAME', 'OBJECT_ID', 'OBJECT_NAME', 'OBJECT_SCHEMA_NAME',
  'SCHEMA_ID', 'SCHEMA_NAME', 'TYPE_ID', 'TYPE_NAME',
  // GROUP BY ROLLUP (…) and CUBE (…): the grammar reads them as calls
  'CUBE', 'ROLLUP',
  // who is asking
  'CURRENT_USER', 'ORIGINAL_LOGIN', 'SESSION_USER', 'SUSER_NAME', 'SUSER_SNAME', 'SYSTEM_USER', 'USER_NAME',
]);

/** Built-in table-valued functions that read only their arguments. OPENJSON has a grammar rule of its own. */
export const ALLOWED_TABLE_FUNCTIONS: ReadonlySet<string> = new Set(['STRING_SPLIT', 'GENERATE_SERIES']);

/** Catalog views a query may read: the ones the catalog tools use, and those that describe tables and keys. */
export const ALLOWED_CATALOG_VIEWS: ReadonlySet<string> = new Set([
  'SYS.SCHEMAS', 'SYS.OBJECTS', 'SYS.TABLES', 'SYS.VIEWS', 'SYS.COLUMNS', 'SYS.TYPES', 'SYS.INDEXES', 'SYS.INDEX_COLUMNS',
  'SYS.FOREIGN_KEYS', 'SYS.FOREIGN_KEY_COLUMNS', 'SYS.KEY_CONSTRAINTS', 'SYS.CHECK_CONSTRAINTS', 'SYS.DEFAULT_CONSTRAINTS',
  'SYS.COMPUTED_COLUMNS', 'SYS.IDENTITY_COLUMNS', 'SYS.EXTENDED_PROPERTIES',
  'INFORMATION_SCHEMA.TABLES', 'INFORMATION_SCHEMA.VIEWS', 'INFORMATION_SCHEMA.COLUMNS', 'INFORMATION_SCHEMA.TABLE_CONSTRAINTS',
  'INFORMATION_SCHEMA.KEY_COLUMN_USAGE', 'INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS', 'INFORMATION_SCHEMA.CONSTRAINT_COLUMN_USAGE',
  'INFORMATION_SCHEMA.SCHEMATA',
]);

/** Schemas of the system: only the catalog views above are read there. */
export const SYSTEM_SCHEMAS: ReadonlySet<string> = new Set(['SYS', 'INFORMATION_SCHEMA']);

/** System databases: server configuration, jobs, mail and backup history, other sessions' temporary objects. */
export const SYSTEM_DATABASES: ReadonlySet<string> = new Set(['MASTER', 'MSDB', 'MODEL', 'TEMPDB', 'MSSQLSYSTEMRESOURCE', 'DISTRIBUTION']);

/**
 * The backward-compatibility views (SQL Server 2000's system tables). They resolve under any schema
 * (`dbo.sysobjects` works), so they are refused by name wherever they appear.
 */
export const COMPATIBILITY_VIEWS: ReadonlySet<string> = new Set([
  'SYSALTFILES', 'SYSCACHEOBJECTS', 'SYSCHARSETS', 'SYSCOLUMNS', 'SYSCOMMENTS', 'SYSCONFIGURES', 'SYSCONSTRAINTS',
  'SYSCURCONFIGS', 'SYSDATABASES', 'SYSDEPENDS', 'SYSDEVICES', 'SYSFILEGROUPS', 'SYSFILES', 'SYSFOREIGNKEYS',
  'SYSFULLTEXTCATALOGS', 'SYSINDEXES', 'SYSINDEXKEYS', 'SYSLANGUAGES', 'SYSLOCKINFO', 'SYSLOGINS', 'SYSMEMBERS',
  'SYSMESSAGES', 'SYSOBJECTS', 'SYSOLEDBUSERS', 'SYSOPENTAPES', 'SYSPERFINFO', 'SYSPERMISSIONS', 'SYSPROCESSES',
  'SYSPROTECTS', 'SYSREFERENCES', 'SYSREMOTELOGINS', 'SYSSERVERS', 'SYSTYPES', 'SYSUSERS', 'SYSXLOGINS',
]);

/** Name prefixes of system procedures, functions and views, refused without a schema (write `dbo.name` for a table of yours). */
export const SYSTEM_NAME_PREFIXES: readonly string[] = ['SP_', 'XP_', 'FN_', 'DM_'];

/** System variables a query may read: facts about the session and the server's version. */
export const ALLOWED_SYSTEM_VARIABLES: ReadonlySet<string> = new Set([
  '@@DATEFIRST', '@@ERROR', '@@LANGUAGE', '@@MAX_PRECISION', '@@ROWCOUNT', '@@SERVERNAME', '@@SERVICENAME', '@@SPID',
  '@@TEXTSIZE', '@@TRANCOUNT', '@@VERSION',
]);

/** Table hints a read may use: none takes locks that outlive the read of a row or page. */
export const ALLOWED_TABLE_HINTS: ReadonlySet<string> = new Set([
  'NOLOCK', 'READUNCOMMITTED', 'READCOMMITTED', 'READCOMMITTEDLOCK', 'READPAST', 'NOWAIT', 'ROWLOCK', 'SNAPSHOT',
  'NOEXPAND', 'FORCESEEK', 'FORCESCAN', 'INDEX',
]);

/**
 * Why some refused names are refused, for a precise message. Anything else not allowed gets the general
 * reason; this map only explains, it does not decide.
 */
export const REFUSAL_REASONS: ReadonlyMap<string, string> = new Map([
  ...['FN_GET_AUDIT_FILE', 'FN_XE_FILE_TARGET_READ_FILE', 'FN_TRACE_GETTABLE', 'FN_DUMP_DBLOG', 'FN_DBLOG', 'FN_DBLOG_XTP', 'FN_GET_SQL', 'FN_VIRTUALFILESTATS', 'FN_XE_TARGET_READ_FILE'].map(
    (name) => [name, `${name} reads server files (logs, traces, audits) and, given a UNC path, makes the server connect to another host`] as const,
  ),
  ...['DM_OS_ENUMERATE_FILESYSTEM', 'DM_OS_FILE_EXISTS', 'DM_OS_VOLUME_STATS'].map((name) => [name, `${name} looks at the server's file system`] as const),
  ...['PWDCOMPARE', 'PWDENCRYPT', 'LOGINPROPERTY', 'CERTPRIVATEKEY', 'CERTENCODED', 'CERTPROPERTY', 'ASYMKEYPROPERTY', 'KEY_ID', 'KEY_GUID', 'DECRYPTBYKEY', 'DECRYPTBYKEYAUTOCERT', 'DECRYPTBYCERT', 'DECRYPTBYASYMKEY', 'DECRYPTBYPASSPHRASE', 'SIGNBYCERT', 'SIGNBYASYMKEY'].map(
    (name) => [name, `${name} works with passwords, keys or certificates`] as const,
  ),
  ...['DM_EXEC_SQL_TEXT', 'DM_EXEC_QUERY_PLAN', 'DM_EXEC_INPUT_BUFFER', 'DM_EXEC_SESSIONS', 'DM_EXEC_REQUESTS', 'DM_EXEC_CONNECTIONS', 'DM_EXEC_CACHED_PLANS', 'DM_EXEC_QUERY_STATS'].map(
    (name) => [name, `${name} shows other sessions' SQL, plans or connections`] as const,
  ),
  ...['OPENQUERY', 'OPENROWSET', 'OPENDATASOURCE', 'OPENXML'].map((name) => [name, `${name} reads files, linked servers or other data sources`] as const),
  ['SERVERPROPERTY', 'SERVERPROPERTY describes the server, not the data'],
  ['CONNECTIONPROPERTY', 'CONNECTIONPROPERTY shows network addresses of the connection'],
  ...['SESSION_CONTEXT', 'CONTEXT_INFO'].map((name) => [name, `${name} reads values other code stored in the session`] as const),
  ...['HAS_PERMS_BY_NAME', 'IS_MEMBER', 'IS_ROLEMEMBER', 'IS_SRVROLEMEMBER', 'PERMISSIONS'].map((name) => [name, `${name} probes permissions`] as const),
  ['OBJECT_DEFINITION', 'OBJECT_DEFINITION returns the code of procedures, functions and views'],
]);
