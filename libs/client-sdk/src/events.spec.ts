import { SERVER_EVENT_NAMES as SERVER_SIDE, ServerEvents as ServerSideEvents } from '@app/realtime';
import { SERVER_EVENT_NAMES, ServerEvents } from './events';

/** True only when A and B are identical types (optional members and readonly included). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type SamePayloads = { [E in keyof ServerSideEvents]: Same<ServerSideEvents[E], ServerEvents[E & keyof ServerEvents]> };
type AllSame = SamePayloads[keyof SamePayloads] extends true ? true : false;

describe('SDK socket events', () => {
  it('name exactly the events libs/realtime emits', () => {
    expect([...SERVER_EVENT_NAMES].sort()).toEqual([...SERVER_SIDE].sort());
  });

  it('carry the same payload types (checked by the compiler)', () => {
    const sameNames: Same<keyof ServerSideEvents, keyof ServerEvents> = true;
    const samePayloads: AllSame = true;
    expect([sameNames, samePayloads]).toEqual([true, true]);
  });
});
