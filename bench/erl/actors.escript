#!/usr/bin/env escript
%% The Erlang/OTP side of `npm run bench -- spawn` and `-- core` (bench only), timed inside the VM
%% so erl's start-up is not counted. Prints one line of JSON.
%%   spawn N:    N idle processes, each waiting in `receive`: µs per spawn, bytes per process
%%               (erlang:memory(processes) before and after, after a GC), then one message to
%%               each, µs per process until every one of them has handled it.
%%   pingpong N: N round trips between two processes (ping -> pong -> ping), round trips per s.
-mode(compile).

main(["spawn", Count]) -> spawn_bench(list_to_integer(Count));
main(["pingpong", Count]) -> ping_pong(list_to_integer(Count));
main(_) -> io:format(standard_error, "usage: actors.escript spawn|pingpong N~n", []), halt(2).

now_ns() -> erlang:monotonic_time(nanosecond).

gc_all() -> [erlang:garbage_collect(P) || P <- erlang:processes()], ok.

idle(Parent) ->
    receive {hello, N} -> Parent ! {handled, N} end.

spawn_bench(N) ->
    Parent = self(),
    gc_all(),
    Before = erlang:memory(processes),
    T0 = now_ns(),
    Pids = spawn_n(N, Parent, []),
    T1 = now_ns(),
    gc_all(),
    After = erlang:memory(processes),
    T2 = now_ns(),
    [P ! {hello, 1} || P <- Pids],
    collect(N),
    T3 = now_ns(),
    io:format("{\"spawnUs\":~f,\"bytes\":~f,\"firstUs\":~f}~n",
              [(T1 - T0) / 1000 / N, (After - Before) / N, (T3 - T2) / 1000 / N]).

spawn_n(0, _, Acc) -> Acc;
spawn_n(K, Parent, Acc) -> spawn_n(K - 1, Parent, [spawn(fun() -> idle(Parent) end) | Acc]).

collect(0) -> ok;
collect(K) -> receive {handled, _} -> collect(K - 1) end.

ping_pong(N) ->
    Parent = self(),
    Pong = spawn(fun pong/0),
    Ping = spawn(fun() -> receive {go, First} -> ping(First, N, Parent) end end),
    T0 = now_ns(),
    Ping ! {go, Pong},
    receive finished -> ok end,
    T1 = now_ns(),
    Pong ! stop,
    io:format("{\"roundTripsPerS\":~f}~n", [N / ((T1 - T0) / 1.0e9)]).

pong() ->
    receive
        {ping, From, K} -> From ! {pong, K}, pong();
        stop -> ok
    end.

ping(Pong, N, Parent) ->
    Pong ! {ping, self(), 1},
    ping_loop(Pong, N, Parent).

ping_loop(Pong, N, Parent) ->
    receive
        {pong, K} when K >= N -> Parent ! finished;
        {pong, K} -> Pong ! {ping, self(), K + 1}, ping_loop(Pong, N, Parent)
    end.
