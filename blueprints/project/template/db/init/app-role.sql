-- The application's database role, and what it may do.
--
-- Two roles use the database. The migration role owns it and every table (compose:
-- POSTGRES_USER, which Alembic connects as through MIGRATIONS_DATABASE_URL). The
-- application role, made here (APP_DB_USER), is what the API and the worker connect as
-- (DATABASE_URL): it logs in and owns nothing, it is no superuser and has no BYPASSRLS, so
-- the row-level security policies of the tenant tables hold for every query it sends; it
-- may only SELECT, INSERT, UPDATE and DELETE rows (no TRUNCATE, which skips those
-- policies), and use the sequences. Default privileges extend that to every table and
-- sequence the migration role creates later, so no migration has to grant anything.
--
-- The postgres image runs this file once, as POSTGRES_USER in POSTGRES_DB, when it
-- creates the database (a new volume: compose.yaml mounts it in
-- /docker-entrypoint-initdb.d). On a server of your own, run it as a superuser in the
-- database the migration role owns (psql 15 or later: it reads the environment):
--
--   APP_DB_USER=app_user APP_DB_PASSWORD=... POSTGRES_USER=app_owner \
--     psql -v ON_ERROR_STOP=1 -d DATABASE -f db/init/app-role.sql
--
-- Running it again is safe: it resets the role's attributes, password and grants.

\set ON_ERROR_STOP on
\getenv app_user APP_DB_USER
\getenv app_password APP_DB_PASSWORD
\getenv owner POSTGRES_USER
\if :{?app_user}
\else
  \set app_user app_user
\endif
\if :{?owner}
\else
  \set owner :USER
\endif
\if :{?app_password}
\else
  \set app_password ''
\endif

SELECT :'app_password' = '' AS no_password, :'app_user' = :'owner' AS same_role \gset
\if :no_password
  DO $$ BEGIN RAISE EXCEPTION 'APP_DB_PASSWORD is not set: the application role needs a password'; END $$;
\endif
\if :same_role
  DO $$ BEGIN RAISE EXCEPTION 'APP_DB_USER names the migration role: the application needs a role of its own'; END $$;
\endif

SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') AS missing_role,
       current_database() AS database \gset
\if :missing_role
  CREATE ROLE :"app_user" LOGIN;
\endif
ALTER ROLE :"app_user" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'app_password';

GRANT CONNECT ON DATABASE :"database" TO :"app_user";
-- Only the migration role creates objects (PostgreSQL 15 and later already deny PUBLIC;
-- before 15 the schema belongs to the superuser, so the owner needs the grant).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO :"owner";
GRANT USAGE ON SCHEMA public TO :"app_user";

-- Tables and sequences that exist already (a database migrated before this role existed)...
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_user";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_user";
-- ...and those every later migration creates.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_user";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"app_user";
