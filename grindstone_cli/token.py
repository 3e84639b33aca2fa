"""`grindstone token --role ROLE`: print a signed token for scripts and staff."""

import argparse
import sys
from uuid import UUID, uuid4

from common import auth
from grindstone_cli import locate

DESCRIPTION = """\
Print a token for the role, signed with the server secret (GRINDSTONE_SECRET, else the secret
that `just up` keeps in $GRINDSTONE_DATA). Send it as `Authorization: Bearer <token>`.
"""


def add_parser(
    subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]",
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "token", help="print a signed token for a role", description=DESCRIPTION
    )
    parser.add_argument("--role", required=True, choices=auth.ROLES, help="what the token may do")
    parser.add_argument(
        "--user-id",
        type=UUID,
        metavar="UUID",
        help="the user the token speaks for (default: a new random id)",
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    try:
        secret = locate.secret()
    except locate.NotConfigured as exc:
        print(f"grindstone token: {exc}", file=sys.stderr)
        return 1
    print(auth.issue(secret, auth.Identity(args.user_id or uuid4(), args.role)))
    return 0
