; Disk driver: ATA-PIO-like ports 0x1F0-0x1F7, polled.

; disk_checksum: r1 = LBA; reads one sector, returns in r1 the sum of its 128 words
disk_checksum:
        PLAT_OUT DISK_LBA, r1
        mov     r0, 1
        PLAT_OUT DISK_COUNT, r0
        mov     r0, DISK_READ
        PLAT_OUT DISK_STATUS, r0
disk_wait:
        PLAT_IN r0, DISK_STATUS
        and     r0, DISK_DRQ
        jz      disk_wait
        mov     r1, 0
        mov     r2, 128
disk_word:
        PLAT_IN r0, DISK_DATA
        add     r1, r0
        sub     r2, 1
        jnz     disk_word
        ret
