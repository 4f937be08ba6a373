"""`python -m giftwatch.web serve|token ...`: the same commands as `giftwatch serve` and `giftwatch token`."""
from __future__ import annotations

import click

from giftwatch.errors import GiftwatchError
from giftwatch.web.commands import serve, token


class _Commands(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except GiftwatchError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=_Commands)
def main() -> None:
    """giftwatch's web server and its tokens."""


main.add_command(serve)
main.add_command(token)

if __name__ == "__main__":
    main()
