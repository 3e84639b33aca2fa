"""In-memory routing: each student's messages reach only their connections; the slow are closed."""

from services.push.fanout import CLOSE_TRY_LATER, Closing, Connection, Router


def queued(conn: Connection) -> list[object]:
    items = []
    while not conn.queue.empty():
        items.append(conn.queue.get_nowait())
    return items


def test_messages_reach_every_connection_of_their_student_and_no_other():
    router = Router()
    tab1, tab2, other = Connection("ann", 8), Connection("ann", 8), Connection("bob", 8)
    for conn in (tab1, tab2, other):
        router.add(conn)
    router.deliver("ann", [(5, "a"), (5, "b")])
    router.deliver("carl", [(6, "c")])
    assert queued(tab1) == queued(tab2) == [(5, "a"), (5, "b")]
    assert queued(other) == []


def test_a_connection_that_overflows_is_closed_and_dropped_while_others_go_on():
    router = Router()
    slow, fast = Connection("ann", 2), Connection("ann", 8)
    router.add(slow)
    router.add(fast)
    router.deliver("ann", [(1, "x"), (1, "y")])
    queued(fast)
    router.deliver("ann", [(2, "z")])
    (closing,) = queued(slow)
    assert isinstance(closing, Closing) and closing.code == CLOSE_TRY_LATER
    assert queued(fast) == [(2, "z")]
    router.deliver("ann", [(3, "w")])
    assert queued(slow) == [] and queued(fast) == [(3, "w")]


def test_a_student_is_listened_to_only_while_connected():
    router = Router()
    conn = Connection("ann", 4)
    router.add(conn)
    assert router.listening("ann")
    router.remove(conn)
    router.remove(conn)
    assert not router.listening("ann")


def test_closing_everything_asks_each_connection_to_close():
    router = Router()
    conns = [Connection("ann", 4), Connection("bob", 4)]
    for conn in conns:
        router.add(conn)
        conn.offer([(1, "pending")])
    router.close_all(1001, "bye")
    assert [queued(c) for c in conns] == [[Closing(1001, "bye")]] * 2
    assert not router.listening("ann") and not router.listening("bob")


def test_closing_one_student_leaves_the_others_connected():
    router = Router()
    ann, bob = Connection("ann", 4), Connection("bob", 4)
    router.add(ann)
    router.add(bob)
    router.close_user("ann", 1013, "reconnect")
    assert queued(ann) == [Closing(1013, "reconnect")] and not router.listening("ann")
    router.deliver("bob", [(9, "b")])
    assert queued(bob) == [(9, "b")]
