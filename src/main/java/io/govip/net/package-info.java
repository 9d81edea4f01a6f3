/**
 * The kernel layer: addresses through rtnetlink, change notifications, and neighbour announcements, all through
 * the Foreign Function and Memory API (the downcalls are in {@link io.govip.net.ffm.Libc}).
 *
 * <p>How the state machine is meant to use it, all objects opened in the daemon's network namespace:
 * <ol>
 * <li>{@link io.govip.net.NetlinkWatcher#open()} first, then read the state ({@link
 * io.govip.net.AddressService#findLink(String)}, {@link io.govip.net.AddressService#addresses}), then
 * {@link io.govip.net.NetlinkWatcher#start}: no change is missed in between.</li>
 * <li>On becoming leader: {@link io.govip.net.AddressService#add} with a finite lifetime, immediately followed by
 * {@link io.govip.net.Announcer#announce}; {@link io.govip.net.AddressService#refresh} well within the
 * lifetime while leadership holds.</li>
 * <li>On losing leadership: {@link io.govip.net.AnnouncementBurst#cancel()}, then
 * {@link io.govip.net.AddressService#delete}.</li>
 * <li>On {@link io.govip.net.NetlinkEvent.LinkChanged} to an operational link while leader: announce again. On
 * {@link io.govip.net.NetlinkEvent.AddressRemoved} of the VIP while leader: add and announce again. On
 * {@link io.govip.net.NetlinkEvent.EventsLost}: re-read the state. A refresh produces an
 * {@link io.govip.net.NetlinkEvent.AddressAdded} each time, so that event must be idempotent.</li>
 * </ol>
 */
package io.govip.net;
