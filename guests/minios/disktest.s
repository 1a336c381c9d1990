; disk_checksum: r1 = LBA; reads one sector, returns in r1 the sum of its 128 words
disk_checksum:
        push    r4
        mov     r2, disk_buf
        mov     r3, 1
        mov     r4, 0
        call    disk_rw
        mov     r2, 128
        call    disk_sum
        pop     r4
        ret

; disk_test: writes DISK_SECTORS sectors from LBA 1 with a pattern, reads them back into a
; cleared buffer, returns in r1 the sum of every word read
disk_test:
        push    r4
        mov     r2, disk_buf
        mov     r3, DISK_SECTORS * 128
disk_test_fill:
        mov     r0, r3
        xor     r0, 0x5a5a0000
        st      [r2], r0
        add     r2, 4
        sub     r3, 1
        jnz     disk_test_fill
        mov     r1, 1
        mov     r2, disk_buf
        mov     r3, DISK_SECTORS
        mov     r4, 1
        call    disk_rw
        mov     r2, disk_buf
        mov     r3, DISK_SECTORS * 128
        mov     r0, 0
disk_test_clear:
        st      [r2], r0
        add     r2, 4
        sub     r3, 1
        jnz     disk_test_clear
        mov     r1, 1
        mov     r2, disk_buf
        mov     r3, DISK_SECTORS
        mov     r4, 0
        call    disk_rw
        mov     r2, DISK_SECTORS * 128
        call    disk_sum
        pop     r4
        ret

; disk_sum: r2 = words; returns in r1 the sum of that many words of disk_buf
disk_sum:
        mov     r1, 0
        mov     r3, disk_buf
disk_sum_word:
        ld      r0, [r3]
        add     r1, r0
        add     r3, 4
        sub     r2, 1
        jnz     disk_sum_word
        ret
