/**
 * The kernel-side switch of fast failover: {@link io.govip.fence.VipSwitch} keeps the VIP silent unless it was
 * opened for a bounded time, through libnftables (the downcalls are in {@code Libnftables}).
 *
 * <p>How the holder is meant to use it: {@link io.govip.fence.VipSwitch#install} before the VIP is ever added
 * (a {@link io.govip.fence.NftablesUnavailableException} means fast failover cannot run on this host);
 * {@link io.govip.fence.VipSwitch#openFor} every heartbeat interval while it may answer for the VIP, with no more
 * than it may still answer for; {@link io.govip.fence.VipSwitch#shut} the moment it may not; and
 * {@link io.govip.fence.VipSwitch#close} only once the VIP is off the interface for good.
 */
package io.govip.fence;
