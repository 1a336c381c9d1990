; pgfault: a page fault on a not-present page; the handler maps it, and the next iteration
; unmaps it again (PTE write + invlpg), so every iteration faults (N times).
        .include "kernel.s"
NAME:   .asciz "pgfault: "
        .equ    TARGET, 0x300000                ; a page inside the identity map

bench:  call    paging_on
        mov     r0, 14
        mov     r1, fault
        mov     r2, 0
        call    set_gate
        mov     r4, N
        mov     r5, page_table + (TARGET >> 10)
        mov     r6, TARGET
loop:   mov     r0, 0
        st      [r5], r0                        ; unmap
        invlpg  [r6]
        ld      r0, [r6]                        ; fault, mapped by the handler, retried
        sub     r4, 1
        jnz     loop
        jmp     report

fault:  push    r0
        mov     r0, TARGET | 7
        st      [r5], r0
        pop     r0
        add     sp, 4                           ; the error code
        iret
