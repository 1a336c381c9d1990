; Block frontend (the paravirtual driver, Xen's blkfront, virtio-blk's ring): requests go
; in the ring page shared with the VMM's backend; a burst is published at once and costs
; one notification at most, and none when the backend said (its event index) that it needs
; none (vring_need_event). The layout is docs/paravirt.md's.

        .equ    RING_REQ_PROD, 0
        .equ    RING_REQ_EVENT, 4
        .equ    RING_RSP_PROD, 8
        .equ    RING_SLOT0, 16
        .equ    RING_SLOTS, 32

; disk_rw: r1 = first LBA, r2 = buffer, r3 = sectors (at most RING_SLOTS), r4 = 0 read / 1 write. Keeps r4.
disk_rw:
        push    r5
        push    r6
        ld      r5, [blk_ring + RING_REQ_PROD]  ; the index before the burst
        mov     r6, r5
blk_post:
        mov     r0, r6
        and     r0, RING_SLOTS - 1
        shl     r0, 4
        add     r0, blk_ring + RING_SLOT0
        st      [r0], r4
        st      [r0+4], r1
        st      [r0+8], r2
        add     r1, 1
        add     r2, 512
        add     r6, 1
        sub     r3, 1
        jnz     blk_post
        st      [blk_ring + RING_REQ_PROD], r6  ; the whole burst at once
        ld      r0, [blk_ring + RING_REQ_EVENT]
        mov     r1, r6                          ; kick if new - event - 1 < new - old
        sub     r1, r0
        sub     r1, 1
        mov     r2, r6
        sub     r2, r5
        cmp     r1, r2
        jae     blk_wait
        mov     r1, EVTCHNOP_send
        mov     r2, BLOCK_PORT
        mov     r0, HYPERVISOR_event_channel_op
        vmcall
blk_wait:
        ld      r0, [blk_ring + RING_RSP_PROD]
        cmp     r0, r6
        jnz     blk_wait
        pop     r6
        pop     r5
        ret
