"""`giftwatch serve` (the web UI and REST API) and `giftwatch token` (tokens that allow writing).

Registered on the main command group in giftwatch.cli; library errors become one `Error: ...` line there.
"""
from __future__ import annotations

import socket

import click

from giftwatch.web.errors import WebError

DB_HELP = "SQLite database file (default: $GIFTWATCH_DB or ./giftwatch.db)."
LOCAL = ("127.0.0.1", "localhost", "::1")


def _check_port_free(host: str, port: int) -> None:
    """Fail with advice before starting, rather than with uvicorn's traceback-like log lines."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise WebError(f"Cannot listen on {host}:{port} ({exc.strerror or exc}). Another program (perhaps "
                           "another giftwatch serve) uses that port: choose another with --port, or check "
                           "--host.") from None


@click.command()
@click.option("--db", envvar="GIFTWATCH_DB", help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Beyond this computer (e.g. 0.0.0.0) reading needs a token too.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--open-reading", is_flag=True,
              help="With --host beyond localhost: let anyone who can reach the server read without a token.")
@click.option("--max-upload-mb", default=10, show_default=True, type=click.IntRange(1, 1024),
              help="Largest request accepted (pasted text and uploaded files together).")
def serve(db: str | None, host: str, port: int, open_reading: bool, max_upload_mb: int) -> None:
    """Start the web application and REST API (http://127.0.0.1:8000 by default)."""
    import uvicorn

    from giftwatch.web.app import create_app

    local = host in LOCAL
    app = create_app(db, read_requires_token=not local and not open_reading,
                     max_body_bytes=max_upload_mb * 1024 * 1024, allowed_hosts=LOCAL if local else None)
    _check_port_free(host, port)
    shown = f"[{host}]" if ":" in host else host
    database = app.state.settings.db
    click.echo(f"giftwatch: serving {database} at http://{shown}:{port}/ (API description at /openapi.json). "
               "Press Ctrl+C to stop.", err=True)
    if not local:
        click.echo("giftwatch: listening beyond this computer; "
                   + ("anyone who can reach it may read." if open_reading else "reading needs a token too."),
                   err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


@click.group()
def token() -> None:
    """Create, list and revoke the tokens that allow adding articles and correcting records."""


@token.command("create")
@click.option("--db", envvar="GIFTWATCH_DB", help=DB_HELP)
@click.option("--name", default="web", show_default=True, help="A label to tell tokens apart (who or what uses it).")
def token_create(db: str | None, name: str) -> None:
    """Print a new token (shown once: only its hash is stored)."""
    from giftwatch.web.queries import WebQueries
    from giftwatch.web.tables import create_token

    with WebQueries(db) as q:
        token_id, secret = create_token(q.conn, name)
        path = q.store.path
    click.echo(secret)
    click.echo(f"Token {token_id} ({name}) for {path}. Keep it secret; it is not shown again. Send it as "
               "`Authorization: Bearer <token>` or enter it on the sign-in page.", err=True)


@token.command("list")
@click.option("--db", envvar="GIFTWATCH_DB", help=DB_HELP)
def token_list(db: str | None) -> None:
    """List tokens (never the tokens themselves): id, name, created, last used, revoked."""
    from giftwatch.web.queries import WebQueries
    from giftwatch.web.tables import list_tokens

    with WebQueries(db) as q:
        rows = list_tokens(q.conn)
    if not rows:
        click.echo("No tokens. Create one with `giftwatch token create`.", err=True)
    for row in rows:
        state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
        click.echo(f"{row['id']}\t{row['name']}\tcreated {row['created_at']}\t"
                   f"last used {row['last_used_at'] or 'never'}\t{state}")


@token.command("revoke")
@click.argument("token_id", type=int)
@click.option("--db", envvar="GIFTWATCH_DB", help=DB_HELP)
def token_revoke(token_id: int, db: str | None) -> None:
    """Revoke token TOKEN_ID (see `giftwatch token list`); requests carrying it are refused from now on."""
    from giftwatch.web.queries import WebQueries
    from giftwatch.web.tables import revoke_token

    with WebQueries(db) as q:
        if not revoke_token(q.conn, token_id):
            raise WebError(f"No active token has id {token_id}; `giftwatch token list` shows the tokens.")
    click.echo(f"Token {token_id} revoked.", err=True)
