; ptemod: a page table entry update and its TLB flush, `st` to a PTE + invlpg (N times).
        .include "kernel.s"
NAME:   .asciz "ptemod: "
        .equ    TARGET, 0x300000

bench:  call    paging_on
        mov     r4, N
        mov     r5, page_table + (TARGET >> 10)
        mov     r6, TARGET
loop:   ld      r0, [r5]
        xor     r0, 2                           ; toggle W
        st      [r5], r0
        invlpg  [r6]
        sub     r4, 1
        jnz     loop
        jmp     report
