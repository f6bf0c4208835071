#!/usr/bin/env escript
%% OTP's own answer to spec/supervisors/otp-parity.spec.ts: a supervisor `top` (one_for_one,
%% 5 restarts in 60 s) over `inner` (a supervisor of the given restart type, 2 restarts in 60 s,
%% over one permanent worker `w`) and a permanent worker `peer`. `w` crashes three times: `inner`
%% gives up (it exits with `shutdown`) and `top` restarts it only if it is permanent.
%% Prints one line per worker start, then top's children (those it still holds). Usage: escript supervisor-gave-up.escript transient
-mode(compile).
-export([init/1, start_sup/1, start_worker/1]).

main([Restart]) ->
    logger:set_primary_config(level, none),
    {ok, Top} = supervisor:start_link(?MODULE, {top, list_to_atom(Restart)}),
    Inner = child(Top, inner),
    [crash_w(Inner) || _ <- [1, 2, 3]],
    %% Waits for events, never for a duration: top has dealt with inner once inner's pid changed.
    until(fun() -> child(Top, inner) =/= Inner end),
    Children = lists:sort([{Id, state(Pid)} || {Id, Pid, _, _} <- supervisor:which_children(Top)]),
    [io:format("child top/~s ~s~n", [Id, State]) || {Id, State} <- Children].

%% Crashes inner's worker and waits until inner has dealt with the exit (a new worker, or inner gone).
crash_w(Inner) ->
    W = child(Inner, w),
    W ! crash,
    until(fun() -> child(Inner, w) =/= W end).

child(Sup, Id) ->
    case catch lists:keyfind(Id, 1, supervisor:which_children(Sup)) of
        {Id, Pid, _, _} -> Pid;
        _ -> gone
    end.

until(Done) ->
    case Done() of
        true -> ok;
        false -> timer:sleep(1), until(Done)
    end.

state(Pid) when is_pid(Pid) -> running;
state(_) -> stopped.

init({top, Restart}) ->
    {ok, {#{strategy => one_for_one, intensity => 5, period => 60},
          [#{id => inner, start => {?MODULE, start_sup, [inner]}, restart => Restart, type => supervisor},
           #{id => peer, start => {?MODULE, start_worker, ["top/peer"]}}]}};
init(inner) ->
    {ok, {#{strategy => one_for_one, intensity => 2, period => 60},
          [#{id => w, start => {?MODULE, start_worker, ["top/inner/w"]}}]}}.

start_sup(Name) -> supervisor:start_link(?MODULE, Name).

start_worker(Address) ->
    io:format("started ~s~n", [Address]),
    {ok, spawn_link(fun() -> receive crash -> exit(boom) end end)}.
