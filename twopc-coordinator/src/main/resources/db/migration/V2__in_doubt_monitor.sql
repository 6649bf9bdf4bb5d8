-- postgres_fdw for the read-only in-doubt monitor (io.txlab.twopc.monitor.InDoubtMonitor). The devstack creates the
-- extension as superuser; here it is created only when missing and when we may (a superuser), so the migration
-- also runs against a database prepared by a DBA for a non-superuser owner. Without the extension the monitor
-- reports itself unavailable; the protocol does not depend on it.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'postgres_fdw') THEN
        IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            CREATE EXTENSION IF NOT EXISTS postgres_fdw;
        ELSE
            RAISE NOTICE 'postgres_fdw is not installed and % is not a superuser: in-doubt monitor disabled', current_user;
        END IF;
    END IF;
END
$$;

-- Foreign servers, user mappings, foreign tables and the in_doubt view are created at startup from configuration.
CREATE SCHEMA IF NOT EXISTS twopc_monitor;
