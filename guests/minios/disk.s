; Disk driver: ATA-PIO-like ports 0x1F0-0x1F7, polled: 128 port accesses per sector.

; disk_rw: r1 = first LBA, r2 = buffer, r3 = sectors, r4 = 0 read / 1 write. Keeps r4.
disk_rw:
        push    r5
disk_rw_sector:
        PLAT_OUT DISK_LBA, r1
        mov     r0, 1
        PLAT_OUT DISK_COUNT, r0
        mov     r0, DISK_READ
        cmp     r4, 0
        jz      disk_rw_command
        mov     r0, DISK_WRITE
disk_rw_command:
        PLAT_OUT DISK_STATUS, r0
disk_rw_wait:
        PLAT_IN r0, DISK_STATUS
        and     r0, DISK_DRQ
        jz      disk_rw_wait
        mov     r5, 128
disk_rw_word:
        cmp     r4, 0
        jz      disk_rw_in
        ld      r0, [r2]
        PLAT_OUT DISK_DATA, r0
        jmp     disk_rw_next
disk_rw_in:
        PLAT_IN r0, DISK_DATA
        st      [r2], r0
disk_rw_next:
        add     r2, 4
        sub     r5, 1
        jnz     disk_rw_word
        add     r1, 1
        sub     r3, 1
        jnz     disk_rw_sector
        pop     r5
        ret
